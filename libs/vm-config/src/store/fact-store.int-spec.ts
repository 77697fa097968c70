import { Pool } from 'pg';
import { startPostgres, waitFor, type PostgresServer } from '@opzero/testing';
import { canonicalJson, FactStore, migrate, parseListQuery, sha256, type ListQuery } from '../index';

const vm = (node: string, os: string, kernel: string, packages: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  hostname: { hostname: node, fqdn: `${node}.example.com`, domain: 'example.com' },
  platform: { platform: os, platform_version: os === 'debian' ? '12' : '9.3' },
  kernel: { name: 'Linux', release: kernel },
  cpu: { model_name: os === 'debian' ? 'Intel(R) Xeon(R) Gold 6230' : 'AMD EPYC 7763', cores: 4 },
  network: { interfaces: { eth0: { mac: '52:54:00:12:34:56', addresses: [{ family: 'IPv4', address: `10.1.0.${node.length}` }] } } },
  packages: Object.fromEntries(Object.entries(packages).map(([name, version]) => [name, { version, arch: 'amd64' }])),
  ...extra,
});

describe('FactStore on a real PostgreSQL', () => {
  let server: PostgresServer;
  let pool: Pool;
  let store: FactStore;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const record = (node: string, facts: Record<string, unknown>, changed: string[] = ['platform']) =>
    store.record(node, facts, { factsSha256: sha256(canonicalJson(facts)), changed, modifyIndex: 10, collectedAt: new Date((clock += 60_000)) });
  const names = async (raw: Record<string, unknown>, now?: Date) => (await store.list(parseListQuery(raw), now)).items.map((item) => item.node);

  beforeAll(async () => {
    server = await startPostgres();
    pool = new Pool({ connectionString: await server.createDatabase('fact_store'), max: 4, connectionTimeoutMillis: 10_000 });
    // A pool whose idle connections die with a restarted server must not crash the test process.
    pool.on('error', () => undefined);
    store = new FactStore(pool);
    expect(await migrate(pool)).toEqual([1, 2, 3]);
    await record('web-01', vm('web-01', 'debian', '6.1.0-27-amd64', { curl: '7.88.1-10', nginx: '1.22.1-9' }));
    await record('web-02', vm('web-02', 'debian', '6.1.0-28-amd64', { curl: '7.88.1-10+deb12u5' }));
    await record('db-01', vm('db-01', 'rocky', '5.14.0-362.el9', { postgresql: '15.4-1' }, { app: { role: 'primary' } }));
    await record('cache-01', vm('cache-01', 'debian', '6.1.0-27-amd64', { redis: '7.0.15-1' }));
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('migrations are applied once: a second run (another replica starting) applies none', async () => {
    expect(await migrate(pool)).toEqual([]);
    expect((await pool.query('SELECT version FROM vm_config_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('migration 3: GIN indexes without pending lists, facts compressed with lz4 (Debian and the official image have it)', async () => {
    const indexes = await pool.query<{ relname: string; reloptions: string[] }>("SELECT relname, reloptions FROM pg_class WHERE relname IN ('vm_nodes_search_text', 'vm_nodes_facts') ORDER BY relname");
    expect(indexes.rows).toEqual([{ relname: 'vm_nodes_facts', reloptions: ['fastupdate=off'] }, { relname: 'vm_nodes_search_text', reloptions: ['fastupdate=off'] }]);
    const compression = await pool.query<{ method: string }>("SELECT attcompression AS method FROM pg_attribute WHERE attrelid = 'vm_nodes'::regclass AND attname = 'facts'");
    expect(compression.rows).toEqual([{ method: 'l' }]);
  });

  it('stores a new version only when the facts differ from the current ones', async () => {
    const facts = vm('web-01', 'debian', '6.1.0-27-amd64', { curl: '7.88.1-10', nginx: '1.22.1-9' });
    expect(await record('web-01', facts)).toEqual({ version: 1, created: false });
    expect(await record('web-01', { ...facts, packages: { ...facts.packages, jq: { version: '1.6-2.1', arch: 'amd64' } } }, ['packages'])).toEqual({ version: 2, created: true });
    const history = await store.history('web-01', { limit: 10 });
    expect(history.map((v) => [v.version, v.changed])).toEqual([[2, ['packages']], [1, ['platform']]]);
    expect((await store.diff('web-01', 1, 2))!.changes).toEqual([
      { path: 'packages.jq.arch', kind: 'added', after: 'amd64' },
      { path: 'packages.jq.version', kind: 'added', after: '1.6-2.1' },
    ]);
    expect((await store.node('web-01'))!.facts['packages']).toHaveProperty('jq');
    expect(await store.diff('web-01', 1, 9)).toBeNull();
    expect(await store.node('nobody')).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['everything, by node', {}, ['cache-01', 'db-01', 'web-01', 'web-02']],
    ['free text in the host name', { q: 'WEB' }, ['web-01', 'web-02']],
    ['free text in the CPU model', { q: 'epyc' }, ['db-01']],
    ['free text with a LIKE wildcard taken literally', { q: 'web_0' }, []],
    ['os=', { os: 'rocky' }, ['db-01']],
    ['kernel=', { kernel: '6.1.0-27-amd64' }, ['cache-01', 'web-01']],
    ['package=NAME', { package: 'curl' }, ['web-01', 'web-02']],
    ['package=NAME@VERSION', { package: 'curl@7.88.1-10' }, ['web-01']],
    ['fact path equals', { fact: 'app.role=primary' }, ['db-01']],
    ['fact path contains, case-insensitive', { fact: 'cpu.model_name~xeon' }, ['cache-01', 'web-01', 'web-02']],
    ['a number fact equals its text', { fact: 'cpu.cores=4', os: 'rocky' }, ['db-01']],
    ['a number fact given as another text of the same number', { fact: 'cpu.cores=4.0' }, []],
    ['a fact inside an array, by index', { fact: 'network.interfaces.eth0.addresses.0.address=10.1.0.5' }, ['db-01']],
    ['a fact equal to a whole object matches nothing', { fact: 'app=primary' }, []],
    ['sorted by os descending, then node', { sort: '-os' }, ['db-01', 'web-02', 'web-01', 'cache-01']],
  ])('lists %s', async (_what, raw, expected) => {
    expect(await names(raw)).toEqual(expected);
  });

  it('changed in the last N days counts from the current version', async () => {
    await record('web-02', vm('web-02', 'debian', '6.1.0-28-amd64', { curl: '7.88.1-10+deb12u6' }), ['packages']);
    expect(await names({ changed_within_days: '1', sort: '-updated_at' }, new Date(clock + 1))).toEqual(['web-02', 'web-01', 'cache-01', 'db-01']);
    expect(await names({ changed_within_days: '1' }, new Date(clock + 86_400_000 - 30_000))).toEqual(['web-02']);
  });

  it('pages with cursors in every sort order, each node once', async () => {
    for (const sort of ['node', '-node', 'os', '-kernel', 'updated_at', '-updated_at']) {
      const all = await names({ sort, limit: '500' });
      const seen: string[] = [];
      let query: ListQuery = parseListQuery({ sort, limit: '1' });
      for (;;) {
        const page = await store.list(query);
        seen.push(...page.items.map((item) => item.node));
        if (!page.nextCursor) break;
        query = parseListQuery({ sort, limit: '1', cursor: page.nextCursor });
      }
      expect([sort, seen]).toEqual([sort, all]);
    }
  });

  it('PostgreSQL killed and restarted: reads and writes fail meanwhile, then work on the same data', async () => {
    await server.kill();
    await expect(store.node('web-01')).rejects.toThrow();
    await server.restart();
    const back = await waitFor('the store answering again', async () => (await store.node('web-01').catch(() => undefined)) ?? undefined, { timeoutMs: 60_000 });
    expect(back.version).toBe(2);
    expect(await record('db-01', vm('db-01', 'rocky', '5.14.0-362.el9', { postgresql: '15.5-1' }, { app: { role: 'primary' } }), ['packages'])).toEqual({ version: 2, created: true });
  });
});
