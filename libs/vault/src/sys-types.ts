/** `GET /v1/sys/seal-status` (also the answer to `PUT /v1/sys/unseal`). */
export interface SealStatus {
  /** Seal type: `shamir`, `transit`, `azurekeyvault`, ... */
  type: string;
  initialized: boolean;
  sealed: boolean;
  /** Threshold of shares (or recovery shares) needed. */
  t: number;
  /** Number of shares. */
  n: number;
  /** Shares submitted so far in this unseal attempt. */
  progress: number;
  /** Identifies the current unseal attempt; changes after a reset. */
  nonce?: string;
  version: string;
  /** True while a seal migration is pending: unseal calls must then set `migrate`. */
  migration?: boolean;
  /** True when the shares are recovery shares of an auto-unseal seal. */
  recovery_seal?: boolean;
  storage_type?: string;
  cluster_name?: string;
  cluster_id?: string;
  build_date?: string;
}

/**
 * `PUT /v1/sys/init`. Shamir seals take `secret_shares`/`secret_threshold`; auto-unseal seals
 * (transit, KMS) take `recovery_shares`/`recovery_threshold` and keep the root key themselves.
 */
export interface InitRequest {
  secret_shares?: number;
  secret_threshold?: number;
  recovery_shares?: number;
  recovery_threshold?: number;
  /** Auto-unseal seals: shares stored by the seal (Vault requires it to equal secret_shares). */
  stored_shares?: number;
  /** Encrypt each share to one of these PGP public keys (base64). */
  pgp_keys?: string[];
  recovery_pgp_keys?: string[];
  root_token_pgp_key?: string;
}

/** The one answer that holds the shares and the root token: never log it. */
export interface InitResult {
  /** Unseal shares, hex (empty for auto-unseal seals). */
  keys: string[];
  keys_base64: string[];
  /** Recovery shares, hex (auto-unseal seals only). */
  recovery_keys?: string[];
  recovery_keys_base64?: string[];
  root_token: string;
}

/**
 * Query of `GET /v1/sys/health`: which HTTP status each state answers with (for load balancers;
 * the client returns the body whatever the status). These are the parameters node-vault's
 * `health` command passes on; it drops any other.
 */
export interface HealthQuery {
  standbyok?: boolean;
  activecode?: number;
  standbycode?: number;
  sealedcode?: number;
  uninitcode?: number;
}

/**
 * `GET /v1/sys/health`. Vault answers 429/472/473/501/503 for standby, DR, performance standby,
 * uninitialised and sealed nodes with this same body; the client returns it for all of them.
 */
export interface HealthStatus {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  performance_standby?: boolean;
  replication_performance_mode?: string;
  replication_dr_mode?: string;
  server_time_utc: number;
  version: string;
  cluster_name?: string;
  cluster_id?: string;
}

/** `PUT /v1/sys/unseal` options beside the share. */
export interface UnsealOptions {
  /** Required while a seal migration is pending (`SealStatus.migration`), refused otherwise. */
  migrate?: boolean;
}

/** `POST /v1/sys/mounts/:path` and `POST /v1/sys/auth/:path`. */
export interface MountRequest {
  /** Engine or method type: `kv`, `transit`, `approle`, `jwt`, `kubernetes`, ... */
  type: string;
  description?: string;
  /** Engine options, e.g. `{ version: '2' }` for KV v2. */
  options?: Record<string, string>;
  config?: Record<string, unknown>;
}
