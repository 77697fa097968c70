import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { vmconfigCollected } from '@opzero/contracts';
import type { z } from 'zod';
import type { vmConfigCollectorConfigShape } from './config/vm-config-collector.config';
import { ListModule } from './list/list.module';
import { FactWatchModule } from './watch/fact-watch.module';

export type VmConfigCollectorConfig = z.infer<z.ZodObject<typeof vmConfigCollectorConfigShape>>;

/** VM facts in Consul KV and the VM Config list (API and web page). */
@Module({})
export class AppModule {
  static forRoot(config: VmConfigCollectorConfig): DynamicModule {
    return { module: AppModule, imports: [...serviceFoundation({ app: 'vm-config-collector', config, produces: [vmconfigCollected] }), ListModule.forRoot(config), FactWatchModule.forRoot(config)] };
  }
}
