import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { METRICS_REGISTRY, ReadinessService, ROOT_LOGGER } from '@opzero/observability';
import { FactStore, migrateWhenReachable } from '@opzero/vm-config';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { VmConfigCollectorConfig } from '../app.module';

export const LIST_CONFIG = Symbol('LIST_CONFIG');

/** The PostgreSQL pool and FactStore (libs/vm-config); migrations run before the app serves. Null store without DATABASE_URL. */
@Injectable()
export class FactStoreService implements OnModuleInit, BeforeApplicationShutdown {
  readonly store: FactStore | null;
  readonly storeErrors: Counter;
  private readonly pool: Pool | null;
  private readonly logger: Logger;

  constructor(
    @Inject(LIST_CONFIG) config: VmConfigCollectorConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    readiness: ReadinessService,
  ) {
    this.logger = root.child({ component: 'fact-store' });
    this.storeErrors = new Counter({ name: 'vmconfig_store_errors_total', help: 'Failed PostgreSQL reads or writes of the VM Config list', registers: [registry] });
    this.pool = config.DATABASE_URL ? new Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000, query_timeout: 30_000 }) : null;
    // An idle connection dropped by a restarted server: the pool replaces it; without this
    // listener the error event would end the process.
    this.pool?.on('error', (error) => this.logger.warn({ error: error.message }, 'idle PostgreSQL connection lost'));
    this.store = this.pool ? new FactStore(this.pool) : null;
    const pool = this.pool;
    if (pool) readiness.register('postgres', async () => (await pool.query('SELECT 1')).rowCount === 1);
  }

  async onModuleInit(): Promise<void> {
    if (!this.pool) {
      this.logger.warn({}, 'VM_CONFIG_COLLECTOR_DATABASE_URL unset: no history is kept and the VM Config list API answers 503');
      return;
    }
    const applied = await migrateWhenReachable(this.pool, {
      timeoutMs: 120_000,
      onRetry: (error) => this.logger.warn({ error: (error as Error).message }, 'PostgreSQL not reachable for migrations; retrying'),
    });
    this.logger.info({ applied }, 'database migrations done');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}
