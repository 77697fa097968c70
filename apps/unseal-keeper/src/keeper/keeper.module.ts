import { Module, type DynamicModule } from '@nestjs/common';
import type { UnsealKeeperConfig } from '../config/unseal-keeper.config';
import { KEEPER_CONFIG, KeeperService } from './keeper.service';

/** The unseal loop (libs/unseal) inside the app. */
@Module({})
export class KeeperModule {
  static forRoot(config: UnsealKeeperConfig): DynamicModule {
    return { module: KeeperModule, providers: [{ provide: KEEPER_CONFIG, useValue: config }, KeeperService] };
  }
}
