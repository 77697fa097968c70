/**
 * The VM Config list at scale: BENCH_NODES (10,000) synthetic VMs written into a real Consul
 * (transactions of whole nodes, manifest included, as a collector's run leaves them), then the
 * service started on it: its first listing is the baseline it stores into a real PostgreSQL.
 * Prints the ingest time, list/search latencies (p50/p99: server side from the app's
 * Server-Timing header, and as the client sees them over loopback), the page load in headless chromium, and the service's memory (RSS, peak).
 * No reference tool exists for this part (the Ohai-plugin setup it replaces had no list service).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import { freePort, spawnApp, startConsul, startKafka, startPostgres, waitFor } from '@opzero/testing';
import { canonicalJson, manifestOf, sectionKey } from '@opzero/vm-config';
import { mib, percentile, printTable } from '../stats';
import { syntheticFacts, syntheticNode } from './synthetic-facts';

const NODES = Number(process.env['BENCH_NODES'] ?? 10_000);
const PACKAGES = Number(process.env['BENCH_PACKAGES'] ?? 300);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 200);
const CHROMIUM = process.env['OPZERO_CHROMIUM'] ?? '/usr/bin/chromium';
const TOKEN = randomUUID();

/** PUT /v1/txn with every section of a few nodes (Consul takes at most 64 operations per transaction). */
async function writeNodes(consul: string, indexes: number[]): Promise<void> {
  const ops: unknown[] = [];
  for (const index of indexes) {
    const node = syntheticNode(index);
    const sections = Object.entries(syntheticFacts(index, PACKAGES)).map(([name, value]) => [name, canonicalJson(value)] as [string, string]);
    for (const [name, text] of [...sections, ['manifest', canonicalJson(manifestOf(sections))] as [string, string]]) {
      ops.push({ KV: { Verb: 'set', Key: sectionKey(node, name), Value: Buffer.from(text).toString('base64') } });
    }
  }
  const response = await fetch(`${consul}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops) });
  if (!response.ok) throw new Error(`txn: ${response.status} ${await response.text()}`);
}

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function main(): Promise<void> {
  const [consul, kafka, postgres] = await Promise.all([startConsul(), startKafka(), startPostgres()]);
  const servers = [consul, kafka, postgres];
  try {
    let started = Date.now();
    const perTxn = Math.max(1, Math.floor(64 / 15));
    const batches: number[][] = [];
    for (let i = 0; i < NODES; i += perTxn) batches.push(Array.from({ length: Math.min(perTxn, NODES - i) }, (_, k) => i + k));
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < batches.length) await writeNodes(consul.address, batches[next++]!);
    }));
    const consulLoadMs = Date.now() - started;
    const sample = JSON.stringify(syntheticFacts(1, PACKAGES)).length;
    console.log(`${NODES} synthetic VMs (${PACKAGES} packages, ${(sample / 1024).toFixed(1)} KiB of facts each) written into Consul in ${(consulLoadMs / 1000).toFixed(1)} s`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    started = Date.now();
    const app = spawnApp('vm-config-collector', {
      VM_CONFIG_COLLECTOR_PORT: String(port),
      VM_CONFIG_COLLECTOR_HOST: '127.0.0.1',
      VM_CONFIG_COLLECTOR_LOG_LEVEL: 'warn',
      VM_CONFIG_COLLECTOR_KAFKA_BROKERS: kafka.brokers.join(','),
      VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: consul.address,
      VM_CONFIG_COLLECTOR_DATABASE_URL: postgres.connectionString,
      VM_CONFIG_COLLECTOR_API_TOKEN: TOKEN,
    });
    const db = new Client({ connectionString: postgres.connectionString });
    db.on('error', () => undefined);
    await db.connect();
    const stored = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM vm_nodes').catch(() => ({ rows: [{ n: '0' }] }))).rows[0]!.n);
    await waitFor(`${NODES} nodes stored`, async () => {
      if (app.pid === undefined || (await Promise.race([app.exited.then(() => true), Promise.resolve(false)]))) throw new Error(`the service exited: ${app.output().slice(-2000)}`);
      return (await stored()) >= NODES ? true : undefined;
    }, { timeoutMs: 60 * 60_000, intervalMs: 2_000 });
    const ingestMs = Date.now() - started;
    const afterIngest = memoryOf(app.pid!);
    console.log(`service start + baseline of ${NODES} nodes stored in PostgreSQL: ${(ingestMs / 1000).toFixed(1)} s`);

    const auth = { authorization: `Bearer ${TOKEN}` };
    const firstPage = (await (await fetch(`${base}/v1/vm-config/nodes?limit=50`, { headers: auth })).json()) as { nextCursor: string };
    const queries: [string, string][] = [
      ['list, first page (sort node)', '/nodes'],
      ['list, page 2 (cursor)', `/nodes?cursor=${firstPage.nextCursor}`],
      ['list sorted by -updated_at', '/nodes?sort=-updated_at'],
      ['free text q=vm-0123', '/nodes?q=vm-0123'],
      ['free text q=epyc (half the nodes)', '/nodes?q=epyc'],
      ['os=rocky', '/nodes?os=rocky'],
      ['kernel=6.1.0-27-amd64', '/nodes?kernel=6.1.0-27-amd64'],
      ['package=curl@7.88.1-10+deb12u5', `/nodes?package=${encodeURIComponent('curl@7.88.1-10+deb12u5')}`],
      ['fact app.role=primary', `/nodes?fact=${encodeURIComponent('app.role=primary')}`],
      ['fact cpu.model_name~gold', `/nodes?fact=${encodeURIComponent('cpu.model_name~gold')}`],
      ['changed_within_days=1', '/nodes?changed_within_days=1&sort=-updated_at'],
      ['one node', `/nodes/${syntheticNode(Math.floor(NODES * 0.4321))}`],
      ['its history', `/nodes/${syntheticNode(Math.floor(NODES * 0.4321))}/history`],
    ];
    const rows: string[][] = [];
    for (const [name, path] of queries) {
      const times: number[] = [];
      const server: number[] = [];
      for (let i = 0; i < SAMPLES + 5; i++) {
        const t = performance.now();
        const response = await fetch(`${base}/v1/vm-config${path}`, { headers: auth });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        if (i >= 5) {
          times.push(performance.now() - t);
          server.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN));
        }
      }
      rows.push([name, percentile(server, 50).toFixed(1), percentile(server, 99).toFixed(1), percentile(times, 50).toFixed(1), percentile(times, 99).toFixed(1)]);
    }
    printTable(['query (limit 50)', 'server p50 ms', 'server p99 ms', 'client p50 ms', 'client p99 ms'], rows);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext();
    await context.addInitScript({ content: `sessionStorage.setItem('vmconfig-token', ${JSON.stringify(TOKEN)});` });
    const page = await context.newPage();
    const loads: [string, string, RegExp][] = [
      ['list', '/vm-config/', /50 nodes on page 1/],
      ['search q=vm-001', '/vm-config/#/?q=vm-001', /nodes on page 1/],
      ['node page', `/vm-config/#/node/${syntheticNode(Math.floor(NODES * 0.4321))}`, /.*/],
    ];
    const pageRows: string[][] = [];
    for (const [name, path, done] of loads) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        await page.goto('about:blank');
        const t = performance.now();
        await page.goto(`${base}${path}`);
        await (name === 'node page' ? page.locator('#facts').waitFor() : page.locator('#status', { hasText: done }).waitFor());
        if (i > 0) times.push(performance.now() - t);
      }
      pageRows.push([name, percentile(times, 50).toFixed(0), Math.max(...times).toFixed(0)]);
    }
    await browser.close();
    printTable(['page in headless chromium (load to rows shown)', 'median ms', 'max ms'], pageRows);
    const end = memoryOf(app.pid!);
    console.log(`load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (2 cores shared with other work)`);
    console.log(`service memory: RSS ${mib(afterIngest.rss)} after the baseline, ${mib(end.rss)} at the end; peak RSS ${mib(end.peak)} over the whole run (baseline and queries)`);
    await db.end();
    await app.stop();
  } finally {
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
