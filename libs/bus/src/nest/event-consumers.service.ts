import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { BusMetrics } from '../bus-metrics';
import { EventConsumer, type EventConsumerOptions } from '../event-consumer';
import { BUS_LOGGER, BUS_METRICS, KAFKA } from './tokens';

/** Makes consumers with the app's client, logger and metrics, and remembers them for shutdown. */
@Injectable()
export class EventConsumers {
  private readonly consumers: EventConsumer[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(BUS_LOGGER) private readonly logger: Logger,
    @Inject(BUS_METRICS) private readonly metrics: BusMetrics,
  ) {}

  create(options: Omit<EventConsumerOptions, 'logger' | 'metrics'>): EventConsumer {
    const consumer = new EventConsumer(this.kafka, {
      ...options,
      logger: this.logger.child({ group: options.groupId }),
      metrics: this.metrics,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** Stops every consumer, draining in-flight handlers. */
  async stopAll(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }
}
