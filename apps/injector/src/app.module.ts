import { Module, type DynamicModule } from '@nestjs/common';
import { BusModule } from '@opzero/bus';
import { podCreated } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import type { z } from 'zod';
import type { injectorConfigShape } from './config/injector.config';

export type InjectorConfig = z.infer<z.ZodObject<typeof injectorConfigShape>>;

/** Mutating admission webhook: injects the secrets agent from vault.hashicorp.com/* annotations. */
@Module({})
export class AppModule {
  static forRoot(config: InjectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'injector', logLevel: config.LOG_LEVEL }),
        BusModule.forRoot({
          connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
          produces: [podCreated],
          topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
        }),
      ],
    };
  }
}
