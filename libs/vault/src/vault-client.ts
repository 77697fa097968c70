import type { AppRoleLogin, JwtLogin, KubernetesLogin, TokenLookup, VaultAuth } from './auth-types';
import type { KvV2Metadata, KvV2MetadataUpdate, KvV2Secret, LeaseInfo, VaultResponse } from './secret-types';
import type { HealthQuery, HealthStatus, InitRequest, InitResult, MountRequest, SealStatus, UnsealOptions } from './sys-types';
import type { TransitKeyRequest, TransitOptions } from './transit-types';
import { VaultError } from './vault-error';
import type { VaultClientOptions } from './vault-options';
import { vaultPath, VaultTransport, type VaultMethod } from './vault-transport';

/** How long `init` waits for Vault's answer (see `init`). */
export const INIT_TIMEOUT_MS = 5 * 60_000;

/**
 * The typed Vault API opzero uses, over node-vault. Framework-free and silent: no logging, no
 * environment reads, no retries (callers own their retry policy; `VaultError.transient` helps).
 * A client is one identity (token, namespace); `withToken`/`withNamespace` derive others that
 * share the same connection pool. Logins return the new token; they never change this client.
 */
export class VaultClient {
  private readonly transport: VaultTransport;

  /** @param transport internal: shared by clients derived with `withToken`/`withNamespace`. */
  constructor(
    private readonly options: VaultClientOptions,
    transport?: VaultTransport,
  ) {
    this.transport = transport ?? new VaultTransport(options);
  }

  /** A client for the same server with another token. */
  withToken(token: string): VaultClient {
    return new VaultClient({ ...this.options, token }, this.transport);
  }

  /** A client for the same server in another namespace (Vault Enterprise / OpenBao). */
  withNamespace(namespace: string): VaultClient {
    return new VaultClient({ ...this.options, namespace }, this.transport);
  }

  /** Any Vault API call through node-vault's generic request; `path` is below `/v1/`, segments are URL-encoded. */
  request<T>(method: VaultMethod, path: string, body?: object): Promise<T> {
    return this.call(method, vaultPath(path), body);
  }

  // ---- logical reads and writes (any secrets engine) ----

  /** Reads any logical path with Vault's response envelope (lease included). */
  read<T = Record<string, unknown>>(path: string): Promise<VaultResponse<T>> {
    return this.call('GET', vaultPath(path));
  }

  /** Writes any logical path; undefined when Vault answers 204 without a body. */
  async write<T = Record<string, unknown>>(path: string, data: object): Promise<VaultResponse<T> | undefined> {
    return (await this.call<VaultResponse<T> | ''>('POST', vaultPath(path), data)) || undefined;
  }

  /** Lists the keys under a path (`LIST`, sent as `GET ?list=true`); empty when nothing is there. */
  async list(path: string): Promise<string[]> {
    const encoded = vaultPath(path);
    try {
      const result = await this.call<VaultResponse<{ keys?: unknown }>>('GET', encoded, undefined, '?list=true');
      return Array.isArray(result.data?.keys) ? result.data.keys.filter((key): key is string => typeof key === 'string') : [];
    } catch (error) {
      if (error instanceof VaultError && error.status === 404) return [];
      throw error;
    }
  }

  /** Deletes a logical path. */
  async delete(path: string): Promise<void> {
    await this.call('DELETE', vaultPath(path));
  }

  // ---- KV v1 ----

  /** Reads a KV v1 secret. */
  kvV1Read<T = Record<string, unknown>>(mount: string, path: string): Promise<VaultResponse<T>> {
    return this.call('GET', vaultPath(mount, path));
  }

  /** Writes a KV v1 secret (replaces every field). */
  async kvV1Write(mount: string, path: string, data: Record<string, unknown>): Promise<void> {
    await this.call('POST', vaultPath(mount, path), data);
  }

  // ---- KV v2 ----

  /** Writes a KV v2 secret; returns the new version. With `cas`, only if the current version is `cas` (0: absent). */
  async kvWrite(mount: string, path: string, data: Record<string, unknown>, options: { cas?: number } = {}): Promise<number> {
    const body = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
    const result = await this.call<{ data?: { version?: unknown } }>('POST', vaultPath(mount, 'data', path), body);
    return expectNumber(result.data?.version, 'POST', vaultPath(mount, 'data', path), 'data.version');
  }

  /** Reads a KV v2 secret (latest, or a given version). */
  async kvRead<T = Record<string, unknown>>(mount: string, path: string, version?: number): Promise<KvV2Secret<T>> {
    const query = version === undefined ? '' : `?version=${Math.trunc(version)}`;
    return (await this.call<{ data: KvV2Secret<T> }>('GET', vaultPath(mount, 'data', path), undefined, query)).data;
  }

  /** Reads a KV v2 secret's metadata: `current_version`, version history, settings. */
  async kvReadMetadata(mount: string, path: string): Promise<KvV2Metadata> {
    return (await this.call<{ data: KvV2Metadata }>('GET', vaultPath(mount, 'metadata', path))).data;
  }

  /** Changes a KV v2 secret's settings (max versions, cas_required, custom metadata). */
  async kvWriteMetadata(mount: string, path: string, update: KvV2MetadataUpdate): Promise<void> {
    await this.call('POST', vaultPath(mount, 'metadata', path), update);
  }

  /** Lists KV v2 keys under a folder (names ending in `/` are folders). */
  kvList(mount: string, path: string): Promise<string[]> {
    return this.list(`${mount}/metadata/${path}`);
  }

  /**
   * OpenBao's `LIST <mount>/detailed-metadata/<folder>`: the metadata of every key of a folder in
   * one request, by key name (sub-folders end in `/` and have empty metadata). Vault has no such
   * endpoint (404), nor has an empty folder.
   */
  async kvListDetailedMetadata(mount: string, folder: string): Promise<Record<string, Partial<KvV2Metadata>>> {
    const result = await this.call<{ data?: { key_info?: Record<string, Partial<KvV2Metadata>> } | null }>('GET', vaultPath(mount, 'detailed-metadata', folder), undefined, '?list=true');
    return result.data?.key_info ?? {};
  }

  // ---- auth ----

  /** Logs in with a Kubernetes service account token; the client itself keeps its token. */
  loginKubernetes(login: KubernetesLogin): Promise<VaultAuth> {
    return this.login(login.mount ?? 'kubernetes', { role: login.role, jwt: login.jwt });
  }

  /** Logs in with a JWT (jwt/oidc auth method). */
  loginJwt(login: JwtLogin): Promise<VaultAuth> {
    return this.login(login.mount ?? 'jwt', { jwt: login.jwt, ...(login.role !== undefined ? { role: login.role } : {}) });
  }

  /** Logs in with an AppRole role ID (and secret ID). */
  loginAppRole(login: AppRoleLogin): Promise<VaultAuth> {
    return this.login(login.mount ?? 'approle', { role_id: login.roleId, ...(login.secretId !== undefined ? { secret_id: login.secretId } : {}) });
  }

  /** This client's token: policies, TTL left, renewable. */
  async tokenLookupSelf(): Promise<TokenLookup> {
    return (await this.command<{ data: TokenLookup }>('tokenLookupSelf', 'GET', 'auth/token/lookup-self')).data;
  }

  /** Renews this client's token (optionally asking for `increment`, e.g. `1h` or seconds). */
  async tokenRenewSelf(increment?: string | number): Promise<VaultAuth> {
    const body = increment === undefined ? {} : { increment };
    return expectAuth(await this.call('POST', 'auth/token/renew-self', body), 'auth/token/renew-self');
  }

  /** Revokes this client's token (and its children). */
  async tokenRevokeSelf(): Promise<void> {
    await this.call('POST', 'auth/token/revoke-self', {});
  }

  // ---- sys: seal, init, health ----

  /** `GET sys/seal-status`; answers sealed or not, initialised or not, without a token. */
  sealStatus(): Promise<SealStatus> {
    return this.command('status', 'GET', 'sys/seal-status');
  }

  /** `GET sys/health`: the body for every state (standby, sealed, uninitialised), not an error. */
  async health(query: HealthQuery = {}): Promise<HealthStatus> {
    const result = await this.command<unknown>('health', 'GET', 'sys/health', query);
    if (typeof result !== 'object' || result === null || typeof (result as HealthStatus).sealed !== 'boolean') {
      throw new VaultError('GET', 'sys/health', 0, ['the answer is not a health status'], 'invalid-response');
    }
    return result as HealthStatus;
  }

  /** `GET sys/init`: whether Vault has been initialised. */
  async initStatus(): Promise<boolean> {
    return (await this.call<{ initialized: boolean }>('GET', 'sys/init')).initialized === true;
  }

  /**
   * Initialises Vault: Shamir shares, or recovery shares for auto-unseal seals. The answer holds
   * every share. Sent with its own, far longer timeout (INIT_TIMEOUT_MS): init cannot be retried,
   * and giving up while Vault goes on to finish would lose the only copy of the shares. Key
   * generation and the first barrier write took over 10 s on a loaded 2-core CI machine.
   */
  init(request: InitRequest): Promise<InitResult> {
    const timeoutMs = Math.max(this.options.timeoutMs ?? 0, INIT_TIMEOUT_MS);
    return new VaultTransport({ ...this.options, timeoutMs }).request('PUT', 'sys/init', this.identity, request);
  }

  /** Submits one unseal share (hex or base64); returns the status after it. */
  unseal(key: string, options: UnsealOptions = {}): Promise<SealStatus> {
    return this.command('unseal', 'PUT', 'sys/unseal', { key, ...(options.migrate !== undefined ? { migrate: options.migrate } : {}) });
  }

  /** Discards the shares submitted so far (progress back to 0). */
  unsealReset(): Promise<SealStatus> {
    return this.command('unseal', 'PUT', 'sys/unseal', { reset: true });
  }

  /** Seals Vault (needs a token with `sudo` on `sys/seal`). */
  async seal(): Promise<void> {
    await this.call('PUT', 'sys/seal', {});
  }

  /** Mounts a secrets engine at `path` (e.g. transit). */
  async enableSecretsEngine(path: string, mount: MountRequest): Promise<void> {
    await this.call('POST', vaultPath('sys/mounts', path), mount);
  }

  /** Enables an auth method at `path` (e.g. approle). */
  async enableAuthMethod(path: string, mount: MountRequest): Promise<void> {
    await this.call('POST', vaultPath('sys/auth', path), mount);
  }

  /** Creates or replaces an ACL policy (HCL or JSON text). */
  async writePolicy(name: string, policy: string): Promise<void> {
    await this.call('PUT', vaultPath('sys/policies/acl', name), { policy });
  }

  /** This token's capabilities on each path (`read`, `update`, `deny`, ...). */
  async capabilitiesSelf(paths: string[]): Promise<Record<string, string[]>> {
    const result = await this.call<Record<string, unknown>>('POST', 'sys/capabilities-self', { paths });
    return Object.fromEntries(paths.map((path) => [path, asStrings(result[path] ?? (result['data'] as Record<string, unknown> | undefined)?.[path])]));
  }

  // ---- leases ----

  /** Renews a lease (optionally asking for `increment` seconds); returns its new duration. */
  async leaseRenew(leaseId: string, increment?: number): Promise<LeaseInfo> {
    const args = { lease_id: leaseId, ...(increment !== undefined ? { increment } : {}) };
    const { lease_id, lease_duration, renewable } = await this.command<LeaseInfo>('renew', 'PUT', 'sys/leases/renew', args);
    return { lease_id, lease_duration, renewable };
  }

  /** Revokes a lease now. */
  async leaseRevoke(leaseId: string): Promise<void> {
    await this.command('revoke', 'PUT', 'sys/leases/revoke', { lease_id: leaseId });
  }

  // ---- transit ----

  /** Creates a transit key (no-op when it exists). */
  async transitCreateKey(name: string, request: TransitKeyRequest = {}, mount = 'transit'): Promise<void> {
    await this.call('POST', vaultPath(mount, 'keys', name), request);
  }

  /** Encrypts with a transit key; returns Vault's ciphertext (`vault:v1:...`). */
  async transitEncrypt(key: string, plaintext: Buffer | string, options: TransitOptions = {}): Promise<string> {
    const path = vaultPath(options.mount ?? 'transit', 'encrypt', key);
    const body = {
      plaintext: Buffer.from(plaintext).toString('base64'),
      ...transitExtras(options),
      ...(options.keyVersion !== undefined ? { key_version: options.keyVersion } : {}),
    };
    const result = await this.call<{ data?: { ciphertext?: unknown } }>('POST', path, body);
    return expectString(result.data?.ciphertext, 'POST', path, 'data.ciphertext');
  }

  /** Decrypts a transit ciphertext; returns the plaintext bytes. */
  async transitDecrypt(key: string, ciphertext: string, options: Omit<TransitOptions, 'keyVersion'> = {}): Promise<Buffer> {
    const path = vaultPath(options.mount ?? 'transit', 'decrypt', key);
    const body = { ciphertext, ...transitExtras(options) };
    const result = await this.call<{ data?: { plaintext?: unknown } }>('POST', path, body);
    return Buffer.from(expectString(result.data?.plaintext, 'POST', path, 'data.plaintext'), 'base64');
  }

  // ---- plumbing ----

  private get identity() {
    return { token: this.options.token, namespace: this.options.namespace };
  }

  private call<T>(method: VaultMethod, path: string, body?: object, query?: string): Promise<T> {
    return this.transport.request<T>(method, path, this.identity, body, query);
  }

  private command<T>(name: Parameters<VaultTransport['command']>[0], method: VaultMethod, path: string, args?: object): Promise<T> {
    return this.transport.command<T>(name, method, path, this.identity, args);
  }

  /**
   * Logins go through the generic request: node-vault's login commands store the returned
   * token in the shared instance, which would then authenticate other clients' calls.
   */
  private async login(mount: string, body: object): Promise<VaultAuth> {
    const path = vaultPath('auth', mount, 'login');
    return expectAuth(await this.transport.request('POST', path, { namespace: this.options.namespace }, body), path);
  }
}

function expectAuth(result: unknown, path: string): VaultAuth {
  const auth = (result as { auth?: VaultAuth } | undefined)?.auth;
  expectString(auth?.client_token, 'POST', path, 'auth.client_token');
  return auth as VaultAuth;
}

function expectString(value: unknown, method: string, path: string, field: string): string {
  if (typeof value === 'string') return value;
  throw new VaultError(method, path, 0, [`the answer has no ${field}`], 'invalid-response');
}

function expectNumber(value: unknown, method: string, path: string, field: string): number {
  if (typeof value === 'number') return value;
  throw new VaultError(method, path, 0, [`the answer has no ${field}`], 'invalid-response');
}

/** Derivation context and AEAD associated data, base64 as transit wants them. */
function transitExtras(options: TransitOptions): Record<string, string> {
  return {
    ...(options.context ? { context: options.context.toString('base64') } : {}),
    ...(options.associatedData ? { associated_data: options.associatedData.toString('base64') } : {}),
  };
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
