import type { CaBundleWriteResult } from './webhook-ca-bundle.writer';

/** Runs `task` after `delayMs`; returns a cancel function. */
export type Scheduler = (task: () => void, delayMs: number) => () => void;

/** setTimeout that never holds the process open (a retry must not delay shutdown). */
export const unrefScheduler: Scheduler = (task, delayMs) => {
  const timer = setTimeout(task, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

export interface CaBundlePublisherOptions {
  /** Writes one bundle once (a WebhookCaBundleWriter). */
  writer: { write(configurationName: string, pem: string): Promise<CaBundleWriteResult> };
  /** The MutatingWebhookConfiguration to keep current. */
  configurationName: string;
  /** First retry delay; doubles per failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onWritten?: (result: CaBundleWriteResult) => void;
  onFailure?: (error: Error, attempt: number, retryInMs: number) => void;
  schedule?: Scheduler;
}

/**
 * Keeps the latest CA bundle written into a MutatingWebhookConfiguration. A failed write is
 * retried with exponential backoff until it succeeds or a newer bundle replaces it; nothing
 * is thrown, because an unreachable API server must never take the webhook down with it.
 */
export class CaBundlePublisher {
  private generation = 0;
  private cancelRetry: (() => void) | undefined;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly schedule: Scheduler;

  constructor(private readonly options: CaBundlePublisherOptions) {
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
    this.schedule = options.schedule ?? unrefScheduler;
  }

  /** Starts writing `pem`; resolves after the first attempt with whether it was written. */
  publish(pem: string): Promise<boolean> {
    this.stop();
    return this.attempt(++this.generation, pem, 1);
  }

  /** Cancels any pending retry; an attempt in flight finishes but schedules nothing. */
  stop(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.generation++;
  }

  private async attempt(generation: number, pem: string, attempt: number): Promise<boolean> {
    try {
      const result = await this.options.writer.write(this.options.configurationName, pem);
      if (generation === this.generation) this.options.onWritten?.(result);
      return true;
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      // A newer bundle (or stop) superseded this one while it was in flight: its failure is moot.
      if (generation !== this.generation) return false;
      const retryInMs = Math.min(this.initialBackoffMs * 2 ** (attempt - 1), this.maxBackoffMs);
      this.options.onFailure?.(error, attempt, retryInMs);
      this.cancelRetry = this.schedule(() => void this.attempt(generation, pem, attempt + 1), retryInMs);
      return false;
    }
  }
}
