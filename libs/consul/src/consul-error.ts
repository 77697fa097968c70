/** Why a call produced no Consul answer (status 0). */
export type ConsulErrorCode = 'network' | 'timeout' | 'aborted' | 'invalid-request' | 'invalid-response';

/**
 * A Consul API call failed. Carries the method, path, HTTP status (0 when Consul never
 * answered) and Consul's error text; never the token or the request body, and not the
 * client library's error either (its response object leads back to the request headers).
 */
export class ConsulError extends Error {
  override readonly name = 'ConsulError';
  /** Set when `status` is 0: what kept the request from getting an answer. */
  readonly code: ConsulErrorCode | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string,
    code?: ConsulErrorCode,
  ) {
    super(`Consul ${method} /v1/${path}: ${status ? `HTTP ${status}` : (code ?? 'no answer')}${detail ? `: ${detail}` : ''}`);
    this.code = code;
  }

  /** 5xx, 429, timeouts and unreachable servers are worth retrying; 4xx, aborts and our own checks are not. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429 || this.code === 'network' || this.code === 'timeout';
  }
}
