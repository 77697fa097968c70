/** Why a call produced no Vault answer (status 0): the network, the clock, or our own check. */
export type VaultErrorCode = 'network' | 'timeout' | 'invalid-request' | 'invalid-response';

/**
 * A Vault API call failed. Carries the method, path, HTTP status (0 when Vault never answered)
 * and Vault's error list; never the request body, the token or the underlying HTTP library's
 * error (axios errors hold the request headers and body, so they are not kept as `cause`).
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  /** Set when `status` is 0: what kept the request from getting an answer. */
  readonly code: VaultErrorCode | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errors: readonly string[],
    code?: VaultErrorCode,
  ) {
    super(`Vault ${method} /v1/${path}: ${status ? `HTTP ${status}` : (code ?? 'no answer')}${errors.length ? `: ${errors.join('; ')}` : ''}`);
    this.code = code;
  }

  /** 5xx, 429, timeouts and unreachable servers are worth retrying; 4xx and our own checks are not. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429 || this.code === 'network' || this.code === 'timeout';
  }
}
