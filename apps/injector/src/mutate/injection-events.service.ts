import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PodCreatedEvent } from '@opzero/annotations';
import { BufferedPublisher, EventProducer } from '@opzero/bus';
import { podCreated } from '@opzero/contracts';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { INJECTOR_OPTIONS, type InjectorOptions } from './injector-options';

/**
 * Publishes `vault.pod-created.v1` after each mutation through an in-memory buffer, so an
 * admission never waits on Kafka and never fails because it is down.
 */
@Injectable()
export class InjectionEvents implements OnApplicationShutdown {
  private readonly buffer: BufferedPublisher<typeof podCreated>;

  constructor(
    producer: EventProducer,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(INJECTOR_OPTIONS) options: InjectorOptions,
  ) {
    const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
    const published = counter('opzero_injector_events_published_total', 'pod-created events published');
    const failed = counter('opzero_injector_events_failed_total', 'pod-created publish attempts that failed (retried)');
    const dropped = counter('opzero_injector_events_dropped_total', 'pod-created events dropped because the buffer was full');
    const buffered = new Gauge({ name: 'opzero_injector_events_buffered', help: 'pod-created events waiting for Kafka', registers: [registry] });
    this.buffer = new BufferedPublisher(producer, podCreated, {
      capacity: options.eventBufferSize,
      logger: root.child({ component: 'pod-created-buffer' }),
      metrics: { buffered: (n) => buffered.set(n), published: () => published.inc(), failed: () => failed.inc(), dropped: () => dropped.inc() },
    });
  }

  /** Queues the event of an injection (validated at admission, not parsed again); returns at once. */
  injected(event: PodCreatedEvent): void {
    this.buffer.offer(event);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.buffer.flush(5_000);
  }
}
