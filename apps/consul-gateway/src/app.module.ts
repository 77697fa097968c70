import { Module, type DynamicModule } from '@nestjs/common';
import { BusModule } from '@opzero/bus';
import { consulServersChanged } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import type { z } from 'zod';
import type { consulGatewayConfigShape } from './config/consul-gateway.config';

export type ConsulGatewayConfig = z.infer<z.ZodObject<typeof consulGatewayConfigShape>>;

/** A fixed address in front of Consul servers whose IPs change. */
@Module({})
export class AppModule {
  static forRoot(config: ConsulGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'consul-gateway', logLevel: config.LOG_LEVEL }),
        BusModule.forRoot({
          connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
          produces: [consulServersChanged],
          topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
        }),
      ],
    };
  }
}
