import { ConsulError } from './consul-error';
import type {
  BlockingOptions,
  CatalogDeregistration,
  CatalogNode,
  CatalogQuery,
  CatalogRegistration,
  CatalogServiceInstance,
  ConsulClientOptions,
  ConsulResult,
  ConsulWatch,
  KvDeleteOptions,
  KvEntry,
  KvPutOptions,
  KvResult,
  SessionInfo,
  SessionRequest,
} from './consul-types';
import { ConsulTransport, toConsulError, type CommonOptions, type ConsulCall } from './consul-transport';
import { decodeCatalogNode, decodeKvEntries, decodeServiceInstance, decodeSession } from './consul-decode';

/**
 * The typed Consul API opzero uses, over the `consul` package: KV with check-and-set, sessions
 * and blocking queries, the catalog, raft status. Framework-free and silent: no logging, no
 * environment reads, no retries except inside `watchKv` (consul's Watch backs off and retries).
 */
export class ConsulClient {
  private readonly transport: ConsulTransport;

  constructor(options: ConsulClientOptions) {
    this.transport = new ConsulTransport(options);
  }

  // ---- KV ----

  /** Writes a key; true when Consul applied it (false on a failed check-and-set). */
  async kvPut(key: string, value: string, options: KvPutOptions = {}): Promise<boolean> {
    return this.kvSet(key, value, { ...options });
  }

  /**
   * Reads a key; `value` is null when the key does not exist. With `index`, this is a blocking
   * query: Consul holds the request until the key changes past `index` or `wait` elapses.
   */
  async kvGet(key: string, blocking: BlockingOptions = {}): Promise<KvResult<KvEntry | null>> {
    const result = await this.kvRead(key, false, blocking);
    return { ...result, value: result.value[0] ?? null };
  }

  /** Every entry under a prefix (recursive), optionally blocking. */
  kvList(prefix: string, blocking: BlockingOptions = {}): Promise<KvResult<KvEntry[]>> {
    return this.kvRead(prefix, true, blocking);
  }

  /** The key names under a prefix; with `separator` (`/`), only one level, folders ending in it. */
  async kvKeys(prefix: string, options: { separator?: string } & BlockingOptions = {}): Promise<KvResult<string[]>> {
    const path = `kv/${prefix}`;
    const extra = { key: prefix, ...(options.separator ? { separator: options.separator } : {}) };
    const result = await this.readOrEmpty<unknown>('GET', path, (lib, o) => lib.kv.keys(o), extra, options);
    return { ...result, value: Array.isArray(result.value) ? result.value.filter((k): k is string => typeof k === 'string') : [] };
  }

  /** Deletes a key (or a whole prefix with `recurse`); false when a `cas` delete lost the race. */
  async kvDelete(key: string, options: KvDeleteOptions = {}): Promise<boolean> {
    const extra = { key, ...(options.recurse ? { recurse: true } : {}), ...(options.cas !== undefined ? { cas: options.cas } : {}) };
    return (await this.transport.call<unknown>('DELETE', `kv/${key}`, (lib, o) => lib.kv.del(o), extra)).value === true;
  }

  /** Takes the key's lock for a session and writes `value`; false when another session holds it. */
  kvAcquire(key: string, value: string, session: string): Promise<boolean> {
    return this.kvSet(key, value, { acquire: session });
  }

  /** Releases the session's lock on the key (writing `value`); false when the session did not hold it. */
  kvRelease(key: string, value: string, session: string): Promise<boolean> {
    return this.kvSet(key, value, { release: session });
  }

  /**
   * Watches a key (or a prefix with `recurse`) with consul's Watch helper: blocking queries in a
   * loop, `onChange` on every new index, errors to `onError` while it backs off and retries.
   */
  watchKv(
    key: string,
    handlers: { onChange(result: KvResult<KvEntry[]>): void; onError?(error: ConsulError): void },
    options: { recurse?: boolean; wait?: string } = {},
  ): ConsulWatch {
    const path = `kv/${key}`;
    const common: CommonOptions = { ...this.transport.common(path, { index: 0, wait: options.wait ?? '5m' }), key, recurse: options.recurse === true };
    // The Watch starts its index at 0 and sets its own timeout from `wait`.
    delete common['index'];
    delete common['timeout'];
    const watch = this.transport.lib.watch({ method: this.transport.lib.kv.get, options: common });
    watch.on('change', (data: unknown, response: { headers: Record<string, string | undefined> }) => {
      handlers.onChange({ index: Number(response.headers['x-consul-index'] ?? 0), value: decodeKvEntries(data) });
    });
    watch.on('error', (error: unknown) => handlers.onError?.(toConsulError('GET', path, error, undefined)));
    return {
      stop: () => watch.end(),
      get running() {
        return watch.isRunning();
      },
    };
  }

  // ---- catalog ----

  /** Nodes in the catalog, optionally only those whose metadata matches `nodeMeta`. */
  async catalogNodes(query: CatalogQuery = {}): Promise<ConsulResult<CatalogNode[]>> {
    const result = await this.transport.call<unknown>('GET', 'catalog/nodes', (lib, o) => lib.catalog.node.list(o), nodeMeta(query), query);
    return { ...result, value: asArray(result.value).map(decodeCatalogNode) };
  }

  /** Service names with their tags, optionally only on nodes matching `nodeMeta`. */
  async catalogServices(query: CatalogQuery = {}): Promise<ConsulResult<Record<string, string[]>>> {
    const result = await this.transport.call<unknown>('GET', 'catalog/services', (lib, o) => lib.catalog.service.list(o), nodeMeta(query), query);
    return { ...result, value: isRecord(result.value) ? (result.value as Record<string, string[]>) : {} };
  }

  /** The instances of one service (e.g. `consul`: the servers), optionally with a tag. */
  async catalogService(service: string, query: CatalogQuery & { tag?: string } = {}): Promise<ConsulResult<CatalogServiceInstance[]>> {
    const extra = { service, ...(query.tag ? { tag: query.tag } : {}), ...nodeMeta(query) };
    const result = await this.transport.call<unknown>('GET', `catalog/service/${service}`, (lib, o) => lib.catalog.service.nodes(o), extra, query);
    return { ...result, value: asArray(result.value).map(decodeServiceInstance) };
  }

  /** Registers (or updates) a node with its metadata, and optionally a service on it. */
  async catalogRegister(registration: CatalogRegistration): Promise<void> {
    await this.transport.call('PUT', 'catalog/register', (lib, o) => lib.catalog.register(o), { ...registration });
  }

  /** Removes a node, or one service or check from it. */
  async catalogDeregister(deregistration: CatalogDeregistration): Promise<void> {
    await this.transport.call('PUT', 'catalog/deregister', (lib, o) => lib.catalog.deregister(o), { ...deregistration });
  }

  // ---- status ----

  /** The leader's RPC address (`10.0.0.5:8300`), empty during an election. */
  async leader(): Promise<string> {
    const result = await this.transport.call<unknown>('GET', 'status/leader', (lib, o) => lib.status.leader(o));
    return typeof result.value === 'string' ? result.value : '';
  }

  /** The raft peers' RPC addresses. */
  async peers(): Promise<string[]> {
    const result = await this.transport.call<unknown>('GET', 'status/peers', (lib, o) => lib.status.peers(o));
    return asArray(result.value).filter((peer): peer is string => typeof peer === 'string');
  }

  /** `GET /v1/agent/self`: the answering agent's Config, Member and Stats (raft indexes under `Stats.raft`), as Consul sends them. */
  async agentSelf(): Promise<Record<string, unknown>> {
    const result = await this.transport.call<unknown>('GET', 'agent/self', (lib, o) => lib.agent.self(o));
    if (!isRecord(result.value)) throw new ConsulError('GET', 'agent/self', 0, 'the answer is not an object', 'invalid-response');
    return result.value;
  }

  // ---- sessions ----

  /** Creates a session; returns its ID. */
  async sessionCreate(request: SessionRequest = {}): Promise<string> {
    const result = await this.transport.call<{ ID?: unknown } | undefined>('PUT', 'session/create', (lib, o) => lib.session.create(o), { ...request });
    if (typeof result.value?.ID !== 'string') throw new ConsulError('PUT', 'session/create', 0, 'the answer has no ID', 'invalid-response');
    return result.value.ID;
  }

  /** Destroys a session (its held keys are released or deleted, per its behavior). */
  async sessionDestroy(id: string): Promise<void> {
    await this.transport.call('PUT', `session/destroy/${id}`, (lib, o) => lib.session.destroy(o), { id });
  }

  /** Resets a session's TTL; null when the session no longer exists. */
  async sessionRenew(id: string): Promise<SessionInfo | null> {
    const result = await this.readOrEmpty<unknown>('PUT', `session/renew/${id}`, (lib, o) => lib.session.renew(o), { id });
    const first = asArray(result.value)[0];
    return first === undefined ? null : decodeSession(first);
  }

  /** A session's details; null when it does not exist. */
  async sessionInfo(id: string): Promise<SessionInfo | null> {
    const result = await this.transport.call<unknown>('GET', `session/info/${id}`, (lib, o) => lib.session.info(o), { id });
    return result.value === undefined || result.value === null ? null : decodeSession(result.value);
  }

  /** Closes the keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  // ---- plumbing ----

  private async kvSet(key: string, value: string, extra: CommonOptions): Promise<boolean> {
    const result = await this.transport.call<unknown>('PUT', `kv/${key}`, (lib, o) => lib.kv.set(o), { ...extra, key, value });
    return result.value === true;
  }

  private async kvRead(key: string, recurse: boolean, blocking: BlockingOptions): Promise<KvResult<KvEntry[]>> {
    const extra = { key, ...(recurse ? { recurse: true } : {}) };
    const result = await this.transport.call<unknown>('GET', `kv/${key}`, (lib, o) => lib.kv.get(o), extra, blocking);
    return { ...result, value: decodeKvEntries(result.value) };
  }

  /** A call whose 404 means "nothing there" rather than a failure. */
  private async readOrEmpty<T>(method: string, path: string, run: ConsulCall, extra: CommonOptions, blocking: BlockingOptions = {}) {
    try {
      return await this.transport.call<T>(method, path, run, extra, blocking);
    } catch (error) {
      if (error instanceof ConsulError && error.status === 404) return { index: 0, value: undefined };
      throw error;
    }
  }
}

function nodeMeta(query: CatalogQuery): CommonOptions {
  const entries = Object.entries(query.nodeMeta ?? {});
  return entries.length ? { 'node-meta': entries.map(([name, value]) => `${name}:${value}`) } : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
