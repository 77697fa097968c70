import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessService } from '@opzero/observability';
import type { Logger } from 'pino';
import { EventProducer } from '../event-producer';
import { EventConsumers } from './event-consumers.service';
import type { BusModuleOptions } from './bus.module';
import { BUS_LOGGER, BUS_OPTIONS } from './tokens';

/** Connects the producer in the background (retrying), reports readiness, drains on shutdown. */
@Injectable()
export class BusLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private connected = false;
  private stopping = false;

  constructor(
    private readonly producer: EventProducer,
    private readonly consumers: EventConsumers,
    private readonly readiness: ReadinessService,
    @Inject(BUS_LOGGER) private readonly logger: Logger,
    @Inject(BUS_OPTIONS) private readonly options: BusModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.kafkaGatesReadiness ?? true) this.readiness.register('kafka', () => this.connected);
    void this.connectUntilDone();
  }

  private async connectUntilDone(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.producer.connect();
        this.connected = true;
        this.logger.info({ attempt }, 'producer connected');
        return;
      } catch (error) {
        this.logger.warn({ attempt, error: (error as Error).message }, 'Kafka not reachable yet, retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * attempt)));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumers.stopAll();
    await this.producer.disconnect();
    this.logger.info({}, 'bus stopped');
  }
}
