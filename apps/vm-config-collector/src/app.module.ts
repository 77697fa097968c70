import { Module, type DynamicModule } from '@nestjs/common';
import { BusModule } from '@opzero/bus';
import { vmconfigCollected } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import type { z } from 'zod';
import type { vmConfigCollectorConfigShape } from './config/vm-config-collector.config';

export type VmConfigCollectorConfig = z.infer<z.ZodObject<typeof vmConfigCollectorConfigShape>>;

/** VM facts in Consul KV and the VM Config list (API and web page). */
@Module({})
export class AppModule {
  static forRoot(config: VmConfigCollectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'vm-config-collector', logLevel: config.LOG_LEVEL }),
        BusModule.forRoot({
          connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
          produces: [vmconfigCollected],
          topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
        }),
      ],
    };
  }
}
