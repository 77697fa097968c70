import { Module, type DynamicModule } from '@nestjs/common';
import { BusModule } from '@opzero/bus';
import { sealed, unsealFailed, unsealed } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import type { z } from 'zod';
import type { unsealKeeperConfigShape } from './config/unseal-keeper.config';

export type UnsealKeeperConfig = z.infer<z.ZodObject<typeof unsealKeeperConfigShape>>;

/** Keeps Vault unsealed: KMS-encrypted unseal shares, automatic unseal of sealed nodes. */
@Module({})
export class AppModule {
  static forRoot(config: UnsealKeeperConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'unseal-keeper', logLevel: config.LOG_LEVEL }),
        BusModule.forRoot({
          connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
          produces: [sealed, unsealed, unsealFailed],
          topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
        }),
      ],
    };
  }
}
