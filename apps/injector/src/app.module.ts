import { Module, type DynamicModule } from '@nestjs/common';
import { defaultInjectorSettings } from '@opzero/annotations';
import { serviceFoundation } from '@opzero/bus';
import { podCreated } from '@opzero/contracts';
import type { z } from 'zod';
import type { injectorConfigShape } from './config/injector.config';
import { MutateModule } from './mutate/mutate.module';

export type InjectorConfig = z.infer<z.ZodObject<typeof injectorConfigShape>>;

/** Mutating admission webhook: injects the secrets agent from vault.hashicorp.com/* annotations. */
@Module({})
export class AppModule {
  static forRoot(config: InjectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Admission never depends on Kafka: events are buffered, so Kafka does not gate /readyz.
        // /mutate counts its outcomes in metrics instead of a request log line per admission.
        ...serviceFoundation({ app: 'injector', config, produces: [podCreated], kafkaGatesReadiness: false, unloggedRoutes: ['mutate'] }),
        MutateModule.forRoot({
          settings: { ...defaultInjectorSettings, agentImage: config.AGENT_IMAGE, vaultAddress: config.VAULT_ADDRESS, rotationAddress: config.ROTATION_ADDRESS },
          eventBufferSize: config.EVENT_BUFFER_SIZE,
          bodyLimitBytes: config.BODY_LIMIT_BYTES,
        }),
      ],
    };
  }
}
