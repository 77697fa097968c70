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
import { consulAvailability, freePort, requestJson, spawnApp, startConsul, startKafka, waitFor, type AppProcess, type ConsulServer, type KafkaServer } from '@opzero/testing';

const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

const COLLECTOR = join(__dirname, 'collector/main.ts');

describeConsul('vm-config-collector: collector CLI → Consul → service → Kafka', () => {
  let consulServer: ConsulServer;
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

  beforeAll(async () => {
    [consulServer, kafkaServer] = await Promise.all([startConsul(), startKafka()]);
    consul = new ConsulClient({ address: consulServer.address });
    plugins = await mkdtemp(join(tmpdir(), 'vm-config-cli-'));
    await setPlugin('1.0.0');
    const port = await freePort();
    admin = `http://127.0.0.1:${port}`;
    app = spawnApp('vm-config-collector', {
      VM_CONFIG_COLLECTOR_PORT: String(port),
      VM_CONFIG_COLLECTOR_HOST: '127.0.0.1',
      VM_CONFIG_COLLECTOR_KAFKA_BROKERS: kafkaServer.brokers.join(','),
      VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: consulServer.address,
      VM_CONFIG_COLLECTOR_WATCH_WAIT: '10s',
    });
    await waitFor('the service watching', async () => (app.output().includes('watching vm-config/') ? true : undefined), { timeoutMs: 90_000 });
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
    await Promise.all([consulServer?.stop(), kafkaServer?.stop()]);
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
});
