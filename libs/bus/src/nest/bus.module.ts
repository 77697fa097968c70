import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Contract } from '@opzero/contracts';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { prometheusBusMetrics } from '../bus-metrics';
import { EventProducer } from '../event-producer';
import { createKafka, type KafkaConnection } from '../kafka-factory';
import type { TopicSettings } from '../topic-admin';
import { BusLifecycle } from './bus-lifecycle.service';
import { EventConsumers } from './event-consumers.service';
import { BUS_LOGGER, BUS_METRICS, BUS_OPTIONS, KAFKA } from './tokens';

export interface BusModuleOptions {
  connection: KafkaConnection;
  /** Contracts this app publishes; their topics are created when the producer connects. */
  produces: readonly Contract[];
  topics?: Partial<TopicSettings>;
  /**
   * Whether /readyz waits for Kafka (default true). An app that must keep serving while Kafka
   * is away (the injector buffers its events) turns this off: a not-ready webhook would be
   * taken out of service and pods admitted without the agent.
   */
  kafkaGatesReadiness?: boolean;
}

/**
 * The bus for a Nest app: one kafkajs client, one EventProducer, consumers made through
 * EventConsumers. Connection happens in the background at bootstrap so an app whose Kafka is
 * briefly away still starts (readiness says `kafka: false` meanwhile); shutdown drains
 * consumers first, then the producer.
 */
@Global()
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      providers: [
        {
          provide: BUS_LOGGER,
          inject: [ROOT_LOGGER],
          useFactory: (root: Logger) => root.child({ component: 'bus' }),
        },
        { provide: BUS_METRICS, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => prometheusBusMetrics(registry) },
        {
          provide: KAFKA,
          inject: [BUS_LOGGER],
          useFactory: (logger: Logger) => createKafka(options.connection, logger),
        },
        {
          provide: EventProducer,
          inject: [KAFKA, BUS_LOGGER],
          useFactory: (kafka, logger: Logger) =>
            new EventProducer(kafka, { contracts: options.produces, logger, ...(options.topics ? { topics: options.topics } : {}) }),
        },
        EventConsumers,
        BusLifecycle,
        { provide: BUS_OPTIONS, useValue: options },
      ],
      exports: [EventProducer, EventConsumers, KAFKA],
    };
  }
}
