/** TLS material for an `https://` Consul address; PEM strings or buffers. */
export interface ConsulTlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Name to verify the server certificate against when it differs from the address's host. */
  servername?: string;
  /** Accept any certificate. For development only. */
  skipVerify?: boolean;
}

/** Everything a ConsulClient needs; nothing is read from the environment. */
export interface ConsulClientOptions {
  /** `http://127.0.0.1:8500`, or the consul-gateway's fixed address. */
  address: string;
  /** ACL token, sent as `X-Consul-Token`. */
  token?: string;
  datacenter?: string;
  /** Absolute timeout per request, milliseconds (default 10 000); blocking queries get their wait on top. */
  timeoutMs?: number;
  tls?: ConsulTlsOptions;
  /** Reuse connections (default true); false opens one per request, so a health probe proves the server accepts connections now. */
  keepAlive?: boolean;
}

/** One KV entry with its value decoded (Consul returns base64). */
export interface KvEntry {
  key: string;
  value: string | null;
  modifyIndex: number;
  createIndex: number;
  flags: number;
  /** How many times a session acquired the key. */
  lockIndex: number;
  /** The session holding the key, if any. */
  session?: string;
}

/** A read's result plus the X-Consul-Index to block on next. */
export interface ConsulResult<T> {
  index: number;
  value: T;
  /** X-Consul-KnownLeader: whether the answering server knew a leader (false: possibly stale). */
  knownLeader?: boolean;
  /** X-Consul-LastContact: milliseconds since the answering server heard from the leader. */
  lastContact?: number;
}

/** A KV read's entries plus the X-Consul-Index to block on next. */
export type KvResult<T> = ConsulResult<T>;

export interface BlockingOptions {
  /** Return only after the index moves past this (Consul blocking query). */
  index?: number;
  /** Maximum wait, Consul duration (`30s`, `5m`; at most `10m`). */
  wait?: string;
  signal?: AbortSignal;
  /** `stale`: any server answers (possibly behind); `consistent`: the leader confirms its leadership first. */
  consistency?: 'stale' | 'consistent';
}

/** Options of `kvPut`. */
export interface KvPutOptions {
  /** Check-and-set: write only if the key's ModifyIndex is this (0: only if absent). */
  cas?: number;
  flags?: number;
}

/** Options of `kvDelete`. */
export interface KvDeleteOptions {
  /** Delete every key under the prefix. */
  recurse?: boolean;
  /** Delete only if the key's ModifyIndex is this. */
  cas?: number;
}

/** Catalog reads filtered by node metadata (`node-meta=key:value`, all must match). */
export interface CatalogQuery extends BlockingOptions {
  nodeMeta?: Record<string, string>;
}

/** `GET /v1/catalog/nodes` entry. */
export interface CatalogNode {
  id: string;
  node: string;
  address: string;
  datacenter: string;
  taggedAddresses: Record<string, string>;
  meta: Record<string, string>;
  createIndex: number;
  modifyIndex: number;
}

/** `GET /v1/catalog/service/:name` entry: one instance with its node. */
export interface CatalogServiceInstance {
  node: string;
  /** The node's address. */
  address: string;
  datacenter: string;
  nodeMeta: Record<string, string>;
  serviceId: string;
  serviceName: string;
  /** The service's own address; empty means the node's. */
  serviceAddress: string;
  servicePort: number;
  serviceTags: string[];
  serviceMeta: Record<string, string>;
  modifyIndex: number;
}

/** `PUT /v1/catalog/register`: a node (with its metadata) and optionally one service on it. */
export interface CatalogRegistration {
  node: string;
  address: string;
  nodeMeta?: Record<string, string>;
  /** Leave the node's address and metadata alone when only the service changes. */
  skipNodeUpdate?: boolean;
  service?: { id?: string; service: string; tags?: string[]; meta?: Record<string, string>; address?: string; port?: number };
}

/** `PUT /v1/catalog/deregister`: the node, or one service or check on it. */
export interface CatalogDeregistration {
  node: string;
  serviceId?: string;
  checkId?: string;
}

/** `PUT /v1/session/create`. */
export interface SessionRequest {
  name?: string;
  /** `10s` to `86400s`; the session dies unless renewed within it. */
  ttl?: string;
  /** What happens to held keys when the session dies (default `release`). */
  behavior?: 'release' | 'delete';
  /** Consul duration keys stay unacquirable after a session dies (default `15s`). */
  lockDelay?: string;
  /** Node the session belongs to (default: the agent's). */
  node?: string;
  /** Health checks tied to the session; `[]` ties it to none (needed for TTL-only sessions on nodes with failing checks). */
  checks?: string[];
}

/** `GET /v1/session/info/:id`. */
export interface SessionInfo {
  id: string;
  name: string;
  node: string;
  ttl: string;
  behavior: string;
  lockDelay: number;
  createIndex: number;
  modifyIndex: number;
}

/** A running watch (consul's Watch helper); `stop()` ends it and aborts the pending query. */
export interface ConsulWatch {
  stop(): void;
  readonly running: boolean;
}
