export interface ConsulClientOptions {
  /** `http://127.0.0.1:8500`, or the consul-gateway's fixed address. */
  address: string;
  token?: string;
  datacenter?: string;
  timeoutMs?: number;
}

/** One KV entry with its value decoded (Consul returns base64). */
export interface KvEntry {
  key: string;
  value: string | null;
  modifyIndex: number;
  createIndex: number;
  flags: number;
}

/** A KV read's entries plus the X-Consul-Index to block on next. */
export interface KvResult<T> {
  index: number;
  value: T;
}

export interface BlockingOptions {
  /** Return only after the index moves past this (Consul blocking query). */
  index?: number;
  /** Maximum wait, Consul duration (`30s`, `5m`). */
  wait?: string;
  signal?: AbortSignal;
}

export class ConsulError extends Error {
  override readonly name = 'ConsulError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Consul ${method} /v1/${path}: HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }
}

interface RawKvEntry {
  Key: string;
  Value: string | null;
  ModifyIndex: number;
  CreateIndex: number;
  Flags: number;
}

const decode = (raw: RawKvEntry): KvEntry => ({
  key: raw.Key,
  value: raw.Value === null ? null : Buffer.from(raw.Value, 'base64').toString('utf8'),
  modifyIndex: raw.ModifyIndex,
  createIndex: raw.CreateIndex,
  flags: raw.Flags,
});

/** A small Consul HTTP API client on fetch: KV with blocking queries, status. */
export class ConsulClient {
  constructor(private readonly options: ConsulClientOptions) {}

  private async call(method: string, path: string, query: Record<string, string | undefined>, body?: string, signal?: AbortSignal) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries({ dc: this.options.datacenter, ...query })) {
      if (value !== undefined) params.set(name, value);
    }
    const headers: Record<string, string> = {};
    if (this.options.token) headers['X-Consul-Token'] = this.options.token;
    const qs = params.toString();
    const response = await fetch(`${this.options.address.replace(/\/$/, '')}/v1/${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: signal ?? AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    return response;
  }

  /** Writes a key; true when Consul applied it (false on a failed check-and-set). */
  async kvPut(key: string, value: string, options: { cas?: number } = {}): Promise<boolean> {
    const response = await this.call('PUT', `kv/${key}`, { cas: options.cas?.toString() }, value);
    if (!response.ok) throw new ConsulError('PUT', `kv/${key}`, response.status, await response.text());
    return (await response.json()) === true;
  }

  /**
   * Reads a key; `value` is null when the key does not exist. With `index`, this is a blocking
   * query: Consul holds the request until the key changes past `index` or `wait` elapses.
   */
  async kvGet(key: string, blocking: BlockingOptions = {}): Promise<KvResult<KvEntry | null>> {
    const result = await this.kvRead(key, {}, blocking);
    return { index: result.index, value: result.value[0] ?? null };
  }

  /** Every entry under a prefix (recursive), optionally blocking. */
  kvList(prefix: string, blocking: BlockingOptions = {}): Promise<KvResult<KvEntry[]>> {
    return this.kvRead(prefix, { recurse: 'true' }, blocking);
  }

  async kvDelete(key: string): Promise<void> {
    const response = await this.call('DELETE', `kv/${key}`, {});
    if (!response.ok) throw new ConsulError('DELETE', `kv/${key}`, response.status, await response.text());
  }

  /** The leader's RPC address (`10.0.0.5:8300`), empty during an election. */
  async leader(): Promise<string> {
    const response = await this.call('GET', 'status/leader', {});
    if (!response.ok) throw new ConsulError('GET', 'status/leader', response.status, await response.text());
    return (await response.json()) as string;
  }

  private async kvRead(key: string, query: Record<string, string>, blocking: BlockingOptions): Promise<KvResult<KvEntry[]>> {
    const blockingQuery = blocking.index !== undefined ? { index: String(blocking.index), wait: blocking.wait ?? '5m' } : {};
    const response = await this.call('GET', `kv/${key}`, { ...query, ...blockingQuery }, undefined, blocking.signal);
    const index = Number(response.headers.get('X-Consul-Index') ?? 0);
    if (response.status === 404) return { index, value: [] };
    if (!response.ok) throw new ConsulError('GET', `kv/${key}`, response.status, await response.text());
    return { index, value: ((await response.json()) as RawKvEntry[]).map(decode) };
  }
}
