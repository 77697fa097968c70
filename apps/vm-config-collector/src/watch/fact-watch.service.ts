import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventProducer } from '@opzero/bus';
import { vmconfigCollected, type VmconfigCollected } from '@opzero/contracts';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
import { ConsulKvStream, FactWatch } from '@opzero/vm-config';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { VmConfigCollectorConfig } from '../app.module';
import { FactStoreService } from '../list/fact-store.service';

export const WATCH_CONFIG = Symbol('WATCH_CONFIG');

/** Runs the FactWatch (libs/vm-config) over Consul after bootstrap, recording versions in PostgreSQL and publishing vmconfig.collected.v1; counts malformed values and watch errors. */
@Injectable()
export class FactWatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly watch: FactWatch;

  constructor(
    producer: EventProducer,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(WATCH_CONFIG) config: VmConfigCollectorConfig,
    stores: FactStoreService,
  ) {
    this.logger = root.child({ component: 'fact-watch' });
    const malformed = new Counter({ name: 'vmconfig_malformed_values_total', help: 'Values under vm-config/ that were not facts', registers: [registry] });
    const errors = new Counter({ name: 'vmconfig_watch_errors_total', help: 'Failed Consul queries or event publications of the watch', registers: [registry] });
    const collected = new Counter({ name: 'vmconfig_collected_events_total', help: 'vmconfig.collected.v1 events published', registers: [registry] });
    const store = stores.store;
    this.watch = new FactWatch({
      consul: new ConsulKvStream({ address: config.CONSUL_ADDRESS, ...(config.CONSUL_TOKEN ? { token: config.CONSUL_TOKEN } : {}) }),
      wait: config.WATCH_WAIT,
      // Stored before the event is published; a failed write (PostgreSQL down) is retried with the round.
      ...(store
        ? {
            record: async (node: string, facts: Record<string, unknown>, event: VmconfigCollected) => {
              await store.record(node, facts, { factsSha256: event.factsSha256, changed: event.changed, modifyIndex: event.modifyIndex, collectedAt: new Date(event.collectedAt) });
            },
          }
        : {}),
      onCollected: async (event) => {
        await producer.publish(vmconfigCollected, event);
        collected.inc();
      },
      onMalformed: (value) => {
        malformed.inc();
        this.logger.warn(value, 'malformed value under vm-config/');
      },
      onError: (error) => {
        errors.inc();
        this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'fact watch error; backing off');
      },
    });
  }

  onApplicationBootstrap(): void {
    this.watch.start();
    this.logger.info({}, 'watching vm-config/');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.watch.stop();
  }
}
