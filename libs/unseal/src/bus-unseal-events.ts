import { silentLogger, type BusLogger, type ContractPublisher } from '@opzero/bus';
import { sealed, unsealed, unsealFailed, type Contract, type EventOf, type Sealed, type UnsealFailed, type Unsealed } from '@opzero/contracts';
import type { UnsealEvents } from './unseal-events';

/** One event waiting, with its contract (validated again by the producer before sending). */
interface Pending {
  contract: Contract;
  event: EventOf<Contract>;
}

/**
 * UnsealEvents on the bus, in the order they happened: one background loop sends the oldest
 * event and only then the next, so `unsealed` never reaches Kafka before its `sealed`. While
 * Kafka is away it retries with backoff and holds up to `capacity` events (beyond, the oldest
 * are dropped and logged: the seal state itself is also in the metrics).
 */
export class BusUnsealEvents implements UnsealEvents {
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly publisher: ContractPublisher,
    private readonly options: { capacity?: number; logger?: BusLogger } = {},
  ) {}

  sealed(event: Sealed): void {
    this.offer({ contract: sealed, event });
  }

  unsealed(event: Unsealed): void {
    this.offer({ contract: unsealed, event });
  }

  unsealFailed(event: UnsealFailed): void {
    this.offer({ contract: unsealFailed, event });
  }

  /** Waits up to `timeoutMs` for queued events to be sent, then stops; returns how many are left. */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.draining ?? Promise.resolve(), deadline]);
    this.stopped = true;
    return this.queue.length;
  }

  private offer(pending: Pending): void {
    if (this.queue.length >= (this.options.capacity ?? 10_000)) {
      const dropped = this.queue.shift();
      (this.options.logger ?? silentLogger).warn({ topic: dropped?.contract.topic }, 'seal event buffer full, dropped the oldest event');
    }
    this.queue.push(pending);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    let delay = 200;
    while (this.queue.length > 0 && !this.stopped) {
      const next = this.queue[0] as Pending;
      try {
        await this.publisher.publishMany(next.contract, [next.event]);
        this.queue.shift();
        delay = 200;
      } catch (error) {
        (this.options.logger ?? silentLogger).warn({ topic: next.contract.topic, retryInMs: delay, error: (error as Error).message }, 'seal event not published, will retry');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
