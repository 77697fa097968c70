import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { VmConfigCollectorConfig } from '../app.module';
import { FactStoreService, LIST_CONFIG } from './fact-store.service';
import { ListRoutes } from './list.routes';

/** The VM Config list: facts history in PostgreSQL, the read API and the page. Global: the watch records into its store. */
@Global()
@Module({})
export class ListModule {
  static forRoot(config: VmConfigCollectorConfig): DynamicModule {
    return { module: ListModule, providers: [{ provide: LIST_CONFIG, useValue: config }, FactStoreService, ListRoutes], exports: [FactStoreService] };
  }
}
