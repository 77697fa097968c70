import { ContractViolation, ensureValidEvent, type Contract, type EventOf, type ValidEvent } from '@opzero/contracts';
import { silentLogger, type BusLogger } from './bus-logger';

/** Counts a BufferedPublisher reports (Prometheus counters and a gauge in the apps). */
export interface BufferedPublisherMetrics {
  buffered(size: number): void;
  published(): void;
  failed(): void;
  dropped(): void;
}

export const noopBufferedPublisherMetrics: BufferedPublisherMetrics = { buffered() {}, published() {}, failed() {}, dropped() {} };

export interface BufferedPublisherOptions {
  /** Most events held while Kafka is away; beyond it the oldest is dropped and counted. */
  capacity: number;
  /** Most events sent in one request (default 500). */
  batchSize?: number;
  /** First retry delay after a failed publish; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  logger?: BusLogger;
  metrics?: BufferedPublisherMetrics;
  /** At most one "buffer full" warning per this many ms, with the drops since the last (default 10 s). */
  dropLogIntervalMs?: number;
}

/** What the buffer publishes through: EventProducer satisfies it. */
export interface ContractPublisher {
  publishMany<C extends Contract>(contract: C, events: readonly EventOf<C>[]): Promise<void>;
}

/**
 * Publishes events of one contract without making the caller wait: `offer` validates (unless
 * the event comes from validateEvent already, as the injector's do) and returns at once, and a single background loop sends what has queued up in order, in batches
 * (one broker round trip for many admissions under load), retrying with backoff while Kafka is
 * down. Built for request paths that must not depend on Kafka (the admission webhook). An event
 * that fails its contract is counted as failed and discarded at once: retrying cannot fix it.
 */
export class BufferedPublisher<C extends Contract> {
  private readonly queue: ValidEvent<C>[] = [];
  private running = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly metrics: BufferedPublisherMetrics;
  private readonly logger: BusLogger;
  private dropsSinceWarning = 0;
  private lastDropWarning = -Infinity;

  constructor(
    private readonly publisher: ContractPublisher,
    private readonly contract: C,
    private readonly options: BufferedPublisherOptions,
  ) {
    this.metrics = options.metrics ?? noopBufferedPublisherMetrics;
    this.logger = options.logger ?? silentLogger;
  }

  /** Number of events waiting to be published. */
  get size(): number {
    return this.queue.length;
  }

  /** Queues an event (validated here unless validateEvent passed it); never throws, never waits. */
  offer(event: EventOf<C> | ValidEvent<C>): void {
    let valid: ValidEvent<C>;
    try {
      // The queue holds only validated, frozen events: the producer sends them without re-parsing.
      valid = ensureValidEvent(this.contract, event);
    } catch (error) {
      this.metrics.failed();
      this.logger.error({ topic: this.contract.topic, error: (error as Error).message }, 'event fails its contract, discarded');
      return;
    }
    if (this.queue.length >= this.options.capacity) {
      this.queue.shift();
      this.metrics.dropped();
      this.warnDropped();
    }
    this.queue.push(valid);
    this.metrics.buffered(this.queue.length);
    if (!this.running && !this.stopped) void this.drain();
  }

  /**
   * One warning per interval with the count since the last: while Kafka is down every offer
   * past capacity drops one event, and a line per drop would flood the log (the dropped counter
   * has the exact figure).
   */
  private warnDropped(): void {
    this.dropsSinceWarning++;
    const now = Date.now();
    if (now - this.lastDropWarning < (this.options.dropLogIntervalMs ?? 10_000)) return;
    this.logger.warn({ topic: this.contract.topic, capacity: this.options.capacity, dropped: this.dropsSinceWarning }, 'event buffer full, dropped the oldest events');
    this.dropsSinceWarning = 0;
    this.lastDropWarning = now;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let delay = this.options.retryDelayMs ?? 200;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.options.batchSize ?? 500);
        try {
          await this.publisher.publishMany(this.contract, batch);
          this.queue.splice(0, batch.length);
          for (let i = 0; i < batch.length; i++) this.metrics.published();
          this.metrics.buffered(this.queue.length);
          delay = this.options.retryDelayMs ?? 200;
        } catch (error) {
          this.metrics.failed();
          if (error instanceof ContractViolation) throw error; // offer() validated: a bug, not an outage
          if (this.stopped) return;
          this.logger.warn({ topic: this.contract.topic, buffered: this.queue.length, retryInMs: delay, error: (error as Error).message }, 'publish failed, will retry');
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            this.wake = () => (clearTimeout(timer), resolve());
          });
          this.wake = undefined;
          delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 10_000);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Tries to publish what is buffered for up to `timeoutMs`, then stops; returns what is left. */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      if (!this.running) void this.drain();
      this.wake?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.stopped = true;
    this.wake?.();
    return this.queue.length;
  }
}
