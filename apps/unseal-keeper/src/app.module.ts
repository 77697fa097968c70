import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { sealed, unsealFailed, unsealed } from '@opzero/contracts';
import type { z } from 'zod';
import type { unsealKeeperConfigShape } from './config/unseal-keeper.config';

export type UnsealKeeperConfig = z.infer<z.ZodObject<typeof unsealKeeperConfigShape>>;

/** Keeps Vault unsealed: KMS-encrypted unseal shares, automatic unseal of sealed nodes. */
@Module({})
export class AppModule {
  static forRoot(config: UnsealKeeperConfig): DynamicModule {
    return { module: AppModule, imports: serviceFoundation({ app: 'unseal-keeper', config, produces: [sealed, unsealed, unsealFailed] }) };
  }
}
