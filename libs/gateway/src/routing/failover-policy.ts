import type { RequestKind } from './request-kind';

/** How an attempt to one server ended, as far as retrying is concerned. */
export type AttemptFailure =
  /** The connection was never established: the request cannot have reached the server. */
  | 'connect-failed'
  /** The request may have been sent, and no response byte came back. */
  | 'lost-before-response'
  /** The server answered with an error status the gateway may retry (see retryableStatus). */
  | 'retryable-status';

/** `true` when the failed attempt may be sent to another server. */
export function mayRetry(kind: RequestKind, failure: AttemptFailure, bodyReplayable: boolean): boolean {
  if (!bodyReplayable) return false;
  if (failure === 'connect-failed') return true;
  return kind.idempotent || kind.safeWrite;
}

/**
 * Consul's answer when a request reached a server while no leader was elected. Consul has no
 * error code for it, so the exact body text is the only signal; a write rejected this way
 * was never applied and may be retried. Any other 5xx on a write might have been applied.
 */
export const NO_LEADER_BODY = 'No cluster leader';

/**
 * Whether an upstream status is one to retry rather than pass on: 500/502/503/504 for reads
 * (a follower that lost its leader, an RPC forward that broke), and for writes only the
 * no-leader rejection or a 5xx on a write that is safe to repeat.
 */
export function retryableStatus(kind: RequestKind, status: number, body: string): boolean {
  if (status < 500 || status > 504 || status === 501) return false;
  if (kind.idempotent || kind.safeWrite) return true;
  return status === 500 && body.trim() === NO_LEADER_BODY;
}
