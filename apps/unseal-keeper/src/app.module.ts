import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { sealed, unsealFailed, unsealed } from '@opzero/contracts';
import type { UnsealKeeperConfig } from './config/unseal-keeper.config';
import { KeeperModule } from './keeper/keeper.module';

/**
 * The keeper idles between polls almost all its life, so nothing else should wake it: kafkajs's
 * request-timeout check runs only while a request is in flight (instead of every 100 ms per
 * broker connection), and the event-loop lag is sampled every 5 s instead of every 100 ms
 * (measured idle, no poll: 0.01% of a core at a 1 s sample, most of the no-poll idle cost).
 */
const IDLE_QUIET = { lazyRequestTimeoutCheck: true, eventLoopMonitoringPrecisionMs: 5_000 };

/** Keeps Vault unsealed: KMS-encrypted unseal shares, automatic unseal of sealed nodes. */
@Module({})
export class AppModule {
  static forRoot(config: UnsealKeeperConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...serviceFoundation({ app: 'unseal-keeper', config, produces: [sealed, unsealed, unsealFailed], ...IDLE_QUIET }), KeeperModule.forRoot(config)],
    };
  }
}
