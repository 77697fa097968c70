// The whole path on real servers: the collector CLI on this machine writes its facts to Consul,
// the service (its own process) watches vm-config/ and publishes vmconfig.collected.v1 on Kafka.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, defaultTopicSettings, ensureTopics } from '@opzero/bus';
import { ConsulClient } from '@opzero/consul';
import { vmconfigCollected, type VmconfigCollected } from '@opzero/contracts';
import { consulAvailability, requestJson, startConsul, startKafka, startPostgres, waitFor, type AppProcess, type ConsulServer, type KafkaServer, type PostgresServer } from '@opzero/testing';
import { startCollectorService } from './test/start-collector-service';

const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

const COLLECTOR = join(__dirname, 'collector/main.ts');
const API_TOKEN = randomUUID();

describeConsul('vm-config-collector: collector CLI → Consul → service → PostgreSQL and Kafka; the read API', () => {
  let consulServer: ConsulServer;
  let postgres: PostgresServer;
  let kafkaServer: KafkaServer;
  let consul: ConsulClient;
  let kafka: Kafka;
  let app: AppProcess;
  let admin: string;
  let plugins: string;
  let stopTail: () => Promise<void>;
  const records: KafkaMessage[] = [];
  const events = () => records.map((record) => JSON.parse(record.value!.toString()) as VmconfigCollected);

  const collector = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--require', '@swc-node/register', COLLECTOR, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: consulServer.address, VM_CONFIG_COLLECTOR_PLUGINS_DIR: plugins, VM_CONFIG_COLLECTOR_NODE_NAME: 'this-vm', ...env },
      timeout: 60_000,
    });
  const setPlugin = async (release: string) => {
    await writeFile(join(plugins, 'app'), `#!/bin/sh\necho '{"release":"${release}"}'\n`);
    await chmod(join(plugins, 'app'), 0o755);
  };

  /** A GET of the service with the API token (or another one, or none). */
  const get = async (path: string, token: string = API_TOKEN) => {
    const response = await fetch(`${admin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // CSV or HTML: the text is what the test reads.
    }
    return { status: response.status, headers: response.headers, text, body };
  };

  beforeAll(async () => {
    [consulServer, kafkaServer, postgres] = await Promise.all([startConsul(), startKafka(), startPostgres()]);
    consul = new ConsulClient({ address: consulServer.address });
    plugins = await mkdtemp(join(tmpdir(), 'vm-config-cli-'));
    await setPlugin('1.0.0');
    ({ app, address: admin } = await startCollectorService({
      consulAddress: consulServer.address,
      kafkaBrokers: kafkaServer.brokers,
      databaseUrl: postgres.connectionString,
      apiToken: API_TOKEN,
    }));
    kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'vm-config-cli-test' });
    // The service creates the topic when its producer connects, which may come after its first
    // log line; creating it here too (idempotent) lets the tail subscribe without racing it.
    await ensureTopics(kafka, [vmconfigCollected], defaultTopicSettings);
    const consumer = kafka.consumer({ groupId: `tail-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: vmconfigCollected.topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
    stopTail = () => consumer.disconnect();
  }, 240_000);

  afterAll(async () => {
    await stopTail?.();
    expect(await app?.stop()).toBe(0);
    consul?.close();
    await Promise.all([consulServer?.stop(), kafkaServer?.stop(), postgres?.stop()]);
  });

  it('--once writes this machine\'s facts and the service publishes one event with every section', async () => {
    const run = collector(['--once']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"msg":"facts written"');
    const event = await waitFor('the this-vm event', async () => events().find((e) => e.node === 'this-vm'), { timeoutMs: 30_000 });
    expect(event.firstSeen).toBe(true);
    expect(event.changed).toEqual(expect.arrayContaining(['platform', 'kernel', 'cpu', 'memory', 'network', 'packages', 'accounts', 'app', 'collector']));
    expect(event.changed).not.toContain('usage');
    const nodes = await consul.catalogNodes({ nodeMeta: { os: 'debian' } });
    expect(nodes.value.map((n) => n.node)).toContain('this-vm');
  });

  it('a changed plugin output gives exactly one more event naming only that section', async () => {
    await setPlugin('2.0.0');
    expect(collector(['--once']).status).toBe(0);
    expect(collector(['--once']).status).toBe(0);
    await waitFor('the second this-vm event', async () => (events().filter((e) => e.node === 'this-vm').length >= 2 ? true : undefined), { timeoutMs: 30_000 });
    // A marker node written after: once its event is in, nothing more for this-vm is coming.
    await consul.kvPut('vm-config/marker/platform', '{"platform":"debian"}');
    await waitFor('the marker event', async () => (events().some((e) => e.node === 'marker') ? true : undefined), { timeoutMs: 30_000 });
    const mine = events().filter((e) => e.node === 'this-vm');
    expect(mine.map((e) => e.changed)).toEqual([expect.any(Array), ['app']]);
  });

  it('the API keeps both versions of this-vm; the diff between them is exactly the plugin change', async () => {
    const history = await get('/v1/vm-config/nodes/this-vm/history');
    expect(history.status).toBe(200);
    expect((history.body as { versions: { version: number; changed: string[] }[] }).versions.map((v) => [v.version, v.changed])).toEqual([[2, ['app']], [1, expect.arrayContaining(['platform', 'packages', 'app'])]]);
    const diff = await get('/v1/vm-config/nodes/this-vm/diff?from=1&to=2');
    expect(diff.body).toEqual({ node: 'this-vm', from: 1, to: 2, changes: [{ path: 'app.release', kind: 'changed', before: '1.0.0', after: '2.0.0' }] });
    const node = (await get('/v1/vm-config/nodes/this-vm')).body as { version: number; os: string; facts: { app: unknown; packages: Record<string, { version: string }> } };
    expect(node).toMatchObject({ version: 2, os: 'debian', facts: { app: { release: '2.0.0' } } });
    const bash = node.facts.packages['bash']!.version;
    const listed = async (query: string) => ((await get(`/v1/vm-config/nodes?${query}`)).body as { items: { node: string }[] }).items.map((item) => item.node);
    expect(await listed('q=THIS-VM')).toEqual(['this-vm']);
    expect(await listed(`package=bash@${encodeURIComponent(bash)}&os=debian`)).toEqual(['this-vm']);
    expect(await listed('package=bash@0.0-not-installed')).toEqual([]);
    expect(await listed('fact=app.release%3D2.0.0')).toEqual(['this-vm']);
    expect(await listed('fact=app.release%3D1.0.0')).toEqual([]);
    const csv = await get('/v1/vm-config/export?format=csv&q=this-vm');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[1]).toMatch(/^this-vm,debian,12,/);
  });

  it('reads need the token; bad input answers 400 naming the field; nothing answers 5xx', async () => {
    expect((await get('/v1/vm-config/nodes', '')).status).toBe(401);
    expect((await get('/v1/vm-config/nodes', 'wrong-token-0000000000')).status).toBe(401);
    const openapi = await get('/v1/vm-config/openapi.json', '');
    expect(openapi.status).toBe(200);
    expect(Object.keys((openapi.body as { paths: object }).paths)).toEqual(['/nodes', '/export', '/nodes/{node}', '/nodes/{node}/history', '/nodes/{node}/versions/{version}', '/nodes/{node}/diff']);
    const hostile: [string, string][] = [
      ['/v1/vm-config/nodes?limit=100000', 'limit'],
      ['/v1/vm-config/nodes?sort=facts;DROP%20TABLE%20vm_nodes', 'sort'],
      [`/v1/vm-config/nodes?q=${'a'.repeat(5000)}`, 'q'],
      ['/v1/vm-config/nodes?cursor=%00%01', 'cursor'],
      [`/v1/vm-config/nodes?fact=${'a.'.repeat(2000)}%3D1`, 'fact'],
      ['/v1/vm-config/nodes?format=xml', 'format'],
      ['/v1/vm-config/nodes?evil=1', 'evil'],
      ['/v1/vm-config/nodes/bad%20name!', 'node'],
      ['/v1/vm-config/nodes/this-vm/diff?from=1', 'to'],
      ['/v1/vm-config/nodes/this-vm/diff?from=x&to=2', 'from'],
      ['/v1/vm-config/nodes/this-vm/versions/-1', 'version'],
      ['/v1/vm-config/nodes/this-vm/history?limit=1&limit=2', 'limit'],
      ['/v1/vm-config/export?limit=5', 'limit'],
    ];
    for (const [path, field] of hostile) {
      const answer = await get(path);
      expect([path, answer.status, (answer.body as { field?: string }).field]).toEqual([path, 400, field]);
    }
    // A path that is not valid percent-encoding is refused by the HTTP layer before routing.
    expect((await get('/v1/vm-config/nodes/%E0%A4%A')).status).toBe(400);
    expect((await get('/v1/vm-config/nodes/nobody')).status).toBe(404);
    expect((await get('/v1/vm-config/nodes/this-vm/diff?from=1&to=99')).status).toBe(404);
    expect((await get('/v1/vm-config/nothing-here')).status).toBe(404);
  });

  it('a malformed value is counted in /metrics and the service goes on', async () => {
    await consul.kvPut('vm-config/broken/platform', 'not json at all');
    await consul.kvPut('vm-config/after-broken/platform', '{"platform":"debian"}');
    await waitFor('the after-broken event', async () => (events().some((e) => e.node === 'after-broken') ? true : undefined), { timeoutMs: 30_000 });
    const metrics = (await requestJson('GET', `${admin}/metrics`)).text;
    expect(metrics).toMatch(/^vmconfig_malformed_values_total(\{[^}]*\})? 1$/m);
    expect(app.output()).toContain('malformed value under vm-config/');
  });

  it('--print writes the facts to stdout and nothing to Consul; bad arguments exit 64, bad settings 78 naming the variable', async () => {
    const print = collector(['--print'], { VM_CONFIG_COLLECTOR_NODE_NAME: 'print-only' });
    expect(print.status).toBe(0);
    expect((JSON.parse(print.stdout) as { platform: { platform: string } }).platform.platform).toBe('debian');
    expect((await consul.kvList('vm-config/print-only/')).value).toEqual([]);
    const bad = collector(['--interval', '5']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('--interval 5: must be whole seconds from 10 to 86400');
    const badEnv = collector(['--once'], { VM_CONFIG_COLLECTOR_NODE_NAME: 'bad name!' });
    expect(badEnv.status).toBe(78);
    expect(badEnv.stderr).toContain('VM_CONFIG_COLLECTOR_NODE_NAME');
  });
  it('PostgreSQL killed: the API answers 503, a change made meanwhile is stored once it is back, with its one event', async () => {
    await postgres.kill();
    expect((await get('/v1/vm-config/nodes')).status).toBe(503);
    await setPlugin('3.0.0');
    expect(collector(['--once']).status).toBe(0);
    // The watch cannot store the new version, so it publishes nothing and retries the round.
    await waitFor('a failed round', async () => (/^vmconfig_watch_errors_total(\{[^}]*\})? [1-9]/m.test((await requestJson('GET', `${admin}/metrics`)).text) ? true : undefined), { timeoutMs: 60_000 });
    expect(events().filter((e) => e.node === 'this-vm')).toHaveLength(2);
    await postgres.restart();
    await waitFor('the third this-vm event', async () => (events().filter((e) => e.node === 'this-vm').length >= 3 ? true : undefined), { timeoutMs: 90_000 });
    const diff = await get('/v1/vm-config/nodes/this-vm/diff?from=2&to=3');
    expect(diff.body).toEqual({ node: 'this-vm', from: 2, to: 3, changes: [{ path: 'app.release', kind: 'changed', before: '2.0.0', after: '3.0.0' }] });
    await consul.kvPut('vm-config/marker-2/platform', '{"platform":"debian"}');
    await waitFor('the marker-2 event', async () => (events().some((e) => e.node === 'marker-2') ? true : undefined), { timeoutMs: 30_000 });
    expect(events().filter((e) => e.node === 'this-vm').map((e) => e.changed).slice(1)).toEqual([['app'], ['app']]);
  }, 240_000);
});
