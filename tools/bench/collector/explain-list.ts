/**
 * The VM Config list's queries at scale, explained: BENCH_NODES synthetic VMs recorded straight
 * into a real PostgreSQL through FactStore (no Consul, no service), then EXPLAIN ANALYZE of the
 * SQL each list/search request runs, and its median time over BENCH_SAMPLES runs through
 * FactStore.list. A tool to find where a query's time goes (not a benchmark: no reference tool).
 */
import { Pool } from 'pg';
import { startPostgres } from '@opzero/testing';
import { FactStore, migrate, parseListQuery } from '@opzero/vm-config';
import { percentile } from '../stats';
import { syntheticFacts, syntheticNode } from './synthetic-facts';

const NODES = Number(process.env['BENCH_NODES'] ?? 10_000);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 50);

async function main(): Promise<void> {
  const postgres = await startPostgres();
  const pool = new Pool({ connectionString: postgres.connectionString, max: 4 });
  try {
    await migrate(pool);
    const store = new FactStore(pool);
    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < NODES) {
        const index = next++;
        await store.record(syntheticNode(index), syntheticFacts(index, 300), { factsSha256: String(index).padStart(64, '0'), changed: [], modifyIndex: index, collectedAt: new Date() });
      }
    }));
    console.log(`${NODES} nodes recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await pool.query('ANALYZE');
    // Statements to run (and print) before the queries, `;`-separated: settings or indexes to try.
    for (const sql of (process.env['EXPLAIN_BEFORE'] ?? '').split(';').filter((text) => text.trim())) {
      console.log(sql, JSON.stringify((await pool.query(sql)).rows));
    }
    const queries: Record<string, Record<string, string>> = {
      'list': {},
      'q=vm-0123': { q: 'vm-0123' },
      'q=epyc': { q: 'epyc' },
      'os=rocky': { os: 'rocky' },
      'package=curl@7.88.1-10+deb12u5': { package: 'curl@7.88.1-10+deb12u5' },
      'fact app.role=primary': { fact: 'app.role=primary' },
      'fact cpu.model_name~gold': { fact: 'cpu.model_name~gold' },
    };
    // Every SQL text FactStore sends, captured from the pool.
    const sent: { text: string; values: unknown[] }[] = [];
    const query = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: typeof query }).query = (text: string, values?: unknown[]) => (sent.push({ text, values: values ?? [] }), query(text, values));
    for (const [name, raw] of Object.entries(queries)) {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now();
        await store.list(parseListQuery(raw));
        times.push(performance.now() - t);
      }
      const last = sent[sent.length - 1]!;
      const plan = (await query(`EXPLAIN (ANALYZE, BUFFERS) ${last.text}`, last.values)) as { rows: { 'QUERY PLAN': string }[] };
      console.log(`\n== ${name}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms\n${last.text}\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}`);
    }
  } finally {
    await pool.end();
    await postgres.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
