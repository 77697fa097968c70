import type { Pool, PoolClient } from 'pg';

/** One schema step: applied once, in order, inside a transaction, recorded in vm_config_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The VM Config list schema, oldest first. Never edit an applied step: add the next version.
 * vm_fact_versions keeps every version of every node's facts; vm_nodes is the current row per
 * node that list and search read (facts without packages, which live in vm_node_packages, so a
 * fact path filter scans kilobytes per node, not the package list).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'fact versions, current nodes, packages',
    sql: `
      CREATE TABLE vm_fact_versions (
        node text NOT NULL,
        version integer NOT NULL,
        facts jsonb NOT NULL,
        facts_sha256 char(64) NOT NULL,
        changed text[] NOT NULL,
        modify_index bigint NOT NULL,
        collected_at timestamptz NOT NULL,
        PRIMARY KEY (node, version)
      );
      CREATE TABLE vm_nodes (
        node text PRIMARY KEY,
        current_version integer NOT NULL,
        facts_sha256 char(64) NOT NULL,
        first_seen timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        os text NOT NULL,
        os_version text NOT NULL,
        kernel text NOT NULL,
        search_text text NOT NULL,
        facts jsonb NOT NULL
      );
      CREATE INDEX vm_nodes_os ON vm_nodes (os, node);
      CREATE INDEX vm_nodes_kernel ON vm_nodes (kernel, node);
      CREATE INDEX vm_nodes_updated_at ON vm_nodes (updated_at, node);
      CREATE TABLE vm_node_packages (
        node text NOT NULL REFERENCES vm_nodes (node) ON DELETE CASCADE,
        name text NOT NULL,
        version text NOT NULL,
        PRIMARY KEY (node, name)
      );
      CREATE INDEX vm_node_packages_name ON vm_node_packages (name, version);
    `,
  },
  {
    // Measured at 10,000 nodes (tools/bench/collector/scale.ts): free text, fact equals and
    // package@version scanned every row. pg_trgm is a trusted extension (PostgreSQL 13+): the
    // database owner may create it.
    version: 2,
    name: 'indexes for free text, fact equals and package@version',
    sql: `
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX vm_nodes_search_text ON vm_nodes USING gin (search_text gin_trgm_ops);
      CREATE INDEX vm_nodes_facts ON vm_nodes USING gin (facts jsonb_path_ops);
      CREATE INDEX vm_node_packages_name_version_node ON vm_node_packages (name, version, node);
      DROP INDEX vm_node_packages_name;
    `,
  },
  {
    // Measured at 10,000 nodes (tools/bench/collector/explain-list.ts): a GIN index's pending
    // list (fastupdate) is read by every search until a vacuum merges it, 5 ms of a fact filter
    // after a burst of writes; the fact filter's recheck decompresses each candidate's facts, 5x
    // faster with lz4 (servers built without it keep pglz; rows switch as their node changes).
    // Writes pay for it: recording 10,000 nodes took 169 s against 114 s (explain-list.ts).
    version: 3,
    name: 'GIN indexes without pending lists, lz4 facts',
    sql: `
      ALTER INDEX vm_nodes_search_text SET (fastupdate = off);
      ALTER INDEX vm_nodes_facts SET (fastupdate = off);
      DO $$ BEGIN
        ALTER TABLE vm_nodes ALTER COLUMN facts SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 not available: facts stay pglz-compressed';
      END $$;
    `,
  },
];

/** Any fixed number: every service instance takes the same lock, so only one migrates at a time. */
const MIGRATION_LOCK = 0x766d6366;

/**
 * Applies the migrations not yet recorded, each in its own transaction, under an advisory lock
 * (several replicas starting together migrate once). Returns the versions it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS vm_config_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM vm_config_migrations')).rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await inTransaction(client, async () => {
          await client.query(migration.sql);
          await client.query('INSERT INTO vm_config_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        });
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** Runs `work` in a transaction on `client`, rolling back on any error. */
export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * migrate, retried with a doubling wait (up to 5 s) while PostgreSQL is not reachable yet (a
 * service and its database started together), until `timeoutMs`; then the last error.
 */
export async function migrateWhenReachable(pool: Pool, options: { timeoutMs: number; onRetry?: (error: unknown) => void }): Promise<number[]> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 250;
  for (;;) {
    try {
      return await migrate(pool);
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      options.onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
