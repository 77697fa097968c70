import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { sealed, unsealFailed, unsealed } from '@opzero/contracts';
import type { UnsealKeeperConfig } from './config/unseal-keeper.config';
import { KeeperModule } from './keeper/keeper.module';

/** Keeps Vault unsealed: KMS-encrypted unseal shares, automatic unseal of sealed nodes. */
@Module({})
export class AppModule {
  static forRoot(config: UnsealKeeperConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...serviceFoundation({ app: 'unseal-keeper', config, produces: [sealed, unsealed, unsealFailed] }), KeeperModule.forRoot(config)],
    };
  }
}
