export interface RetryPolicy {
  /** Handler attempts in total for a transient error, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 10_000 };

/** Exponential backoff with full jitter, so retries of many consumers do not line up. */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
