import { VaultError } from './vault-error';

export interface VaultClientOptions {
  /** `https://vault.example:8200` */
  address: string;
  token?: string;
  /** Vault Enterprise / OpenBao namespace. */
  namespace?: string;
  timeoutMs?: number;
}

/** `GET /v1/sys/seal-status` */
export interface SealStatus {
  type: string;
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  version: string;
  cluster_name?: string;
}

export interface InitResult {
  keys: string[];
  keys_base64: string[];
  root_token: string;
}

export interface KvV2Secret<T = Record<string, unknown>> {
  data: T;
  metadata: { version: number; created_time: string; deletion_time: string; destroyed: boolean };
}

/**
 * A small Vault HTTP API client on fetch: the calls opzero needs, typed. No logging here, so
 * tokens and secret data cannot leak through it; errors carry paths and statuses only.
 */
export class VaultClient {
  constructor(private readonly options: VaultClientOptions) {}

  /** A client for the same server with another token. */
  withToken(token: string): VaultClient {
    return new VaultClient({ ...this.options, token });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers['X-Vault-Token'] = this.options.token;
    if (this.options.namespace) headers['X-Vault-Namespace'] = this.options.namespace;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.options.address.replace(/\/$/, '')}/v1/${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as { errors?: string[] }) : {};
    if (!response.ok) throw new VaultError(method, path, response.status, json.errors ?? []);
    return json as T;
  }

  sealStatus(): Promise<SealStatus> {
    return this.request('GET', 'sys/seal-status');
  }

  init(shares: number, threshold: number): Promise<InitResult> {
    return this.request('PUT', 'sys/init', { secret_shares: shares, secret_threshold: threshold });
  }

  /** Submits one unseal share; returns the status after it. */
  unseal(key: string): Promise<SealStatus> {
    return this.request('PUT', 'sys/unseal', { key });
  }

  async seal(): Promise<void> {
    await this.request('PUT', 'sys/seal');
  }

  /** Writes a KV v2 secret; returns the new version. */
  async kvWrite(mount: string, path: string, data: Record<string, unknown>): Promise<number> {
    const result = await this.request<{ data: { version: number } }>('POST', `${mount}/data/${path}`, { data });
    return result.data.version;
  }

  /** Reads a KV v2 secret (latest, or a given version). */
  async kvRead<T = Record<string, unknown>>(mount: string, path: string, version?: number): Promise<KvV2Secret<T>> {
    const query = version === undefined ? '' : `?version=${version}`;
    const result = await this.request<{ data: KvV2Secret<T> }>('GET', `${mount}/data/${path}${query}`);
    return result.data;
  }
}
