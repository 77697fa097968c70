/**
 * Thrown by a handler for a failure worth retrying (a dependency is down, a timeout). Any error
 * with `transient === true` counts, so lib errors (e.g. VaultError on a 5xx) need no wrapping.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  readonly transient = true;
}

/** True when the error says it is worth retrying. */
export function isTransient(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { transient?: unknown }).transient === true;
}
