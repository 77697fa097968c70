import type { DynamicModule } from '@nestjs/common';
import type { CommonAppConfig } from '@opzero/config';
import type { Contract } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import { BusModule } from './bus.module';

export interface ServiceFoundationOptions {
  /** The app's name: logger name, metrics `app` label, Kafka client id default. */
  app: string;
  config: CommonAppConfig;
  /** Contracts the app publishes (topics created at connect). */
  produces: readonly Contract[];
  /** See BusModuleOptions.kafkaGatesReadiness (default true). */
  kafkaGatesReadiness?: boolean;
  /** See ObservabilityOptions.unloggedRoutes. */
  unloggedRoutes?: string[];
  /** See ObservabilityOptions.eventLoopMonitoringPrecisionMs. */
  eventLoopMonitoringPrecisionMs?: number;
  /** See KafkaConnection.lazyRequestTimeoutCheck. */
  lazyRequestTimeoutCheck?: boolean;
}

/**
 * The modules every opzero service starts with: logging, health and metrics
 * (ObservabilityModule) and the Kafka bus, configured from the app's common settings.
 */
export function serviceFoundation(options: ServiceFoundationOptions): DynamicModule[] {
  const { app, config, produces, kafkaGatesReadiness, unloggedRoutes, eventLoopMonitoringPrecisionMs, lazyRequestTimeoutCheck } = options;
  return [
    ObservabilityModule.forRoot({
      app,
      logLevel: config.LOG_LEVEL,
      ...(unloggedRoutes ? { unloggedRoutes } : {}),
      ...(eventLoopMonitoringPrecisionMs ? { eventLoopMonitoringPrecisionMs } : {}),
    }),
    BusModule.forRoot({
      connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, ...(lazyRequestTimeoutCheck ? { lazyRequestTimeoutCheck } : {}) },
      produces,
      topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
      ...(kafkaGatesReadiness === undefined ? {} : { kafkaGatesReadiness }),
    }),
  ];
}
