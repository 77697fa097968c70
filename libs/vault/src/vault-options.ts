/** TLS material for an `https://` Vault address; PEM strings or buffers, never file paths. */
export interface VaultTlsOptions {
  /** CA bundle that signs Vault's certificate (replaces the system roots for this client). */
  ca?: string | Buffer;
  /** Client certificate for `tls_require_and_verify_client_cert` listeners or cert auth. */
  cert?: string | Buffer;
  /** Private key of `cert`. */
  key?: string | Buffer;
  /** Name to verify Vault's certificate against (SNI) when it differs from the address's host. */
  servername?: string;
  /** Accept any certificate. For development only, as VAULT_SKIP_VERIFY is. */
  skipVerify?: boolean;
}

/** Everything a VaultClient needs; nothing is read from the environment (no VAULT_ADDR/VAULT_TOKEN). */
export interface VaultClientOptions {
  /** `https://vault.example:8200` */
  address: string;
  token?: string;
  /** Vault Enterprise / OpenBao namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** Socket idle timeout per request, milliseconds (default 10 000). */
  timeoutMs?: number;
  tls?: VaultTlsOptions;
}
