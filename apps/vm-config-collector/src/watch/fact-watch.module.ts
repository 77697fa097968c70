import { Module, type DynamicModule } from '@nestjs/common';
import type { VmConfigCollectorConfig } from '../app.module';
import { FactWatchService, WATCH_CONFIG } from './fact-watch.service';

/** The Consul watch over vm-config/ inside the app. */
@Module({})
export class FactWatchModule {
  static forRoot(config: VmConfigCollectorConfig): DynamicModule {
    return { module: FactWatchModule, providers: [{ provide: WATCH_CONFIG, useValue: config }, FactWatchService] };
  }
}
