// The demo's story steps on real servers: OpenBao initialised, unsealed, killed and unsealed
// again by the unseal-keeper; a VM's facts through the consul-gateway while a Consul server
// dies; and the timeline of the Kafka events all of it produced.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, EventConsumer } from '@opzero/bus';
import { contracts, Topics, type Topic } from '@opzero/contracts';
import { CONSUL_DNS_PORT_META, CONSUL_HTTP_PORT_META, requestJson, waitFor, type ConsulCluster, type VaultServer } from '@opzero/testing';

const ROOT = join(__dirname, '../..');

/** One event as it crossed the bus. */
export interface TimelineEntry {
  at: number;
  topic: Topic;
  event: Record<string, unknown>;
}

/** Every real event on the bus from now on, in arrival order. */
export interface Timeline {
  readonly entries: TimelineEntry[];
  /** Resolves with the first event after `since` on `topic` that `match` accepts. */
  next(topic: Topic, since: number, match?: (event: Record<string, unknown>) => boolean): Promise<TimelineEntry>;
  /** Prints `entries` (default: all so far) with their time since `from`. */
  print(from: number, entries?: readonly TimelineEntry[]): void;
  stop(): Promise<void>;
}

/** Subscribes to every topic (validated by its contract) and records what arrives. */
export async function startTimeline(brokers: string[]): Promise<Timeline> {
  const entries: TimelineEntry[] = [];
  const consumer = new EventConsumer(createKafka({ brokers, clientId: 'demo-timeline' }), { groupId: `demo-timeline-${randomUUID()}` });
  for (const contract of Object.values(contracts)) {
    consumer.on(contract, async (event, context) => void entries.push({ at: Date.now(), topic: context.topic, event: event as Record<string, unknown> }));
  }
  await consumer.start();
  return {
    entries,
    next: (topic, since, match = () => true) =>
      waitFor(`${topic} on the bus`, async () => entries.find((e) => e.topic === topic && e.at >= since && match(e.event)), { timeoutMs: 120_000, intervalMs: 50 }),
    print(from, shown = entries) {
      for (const entry of shown) {
        const { topic, event } = entry;
        const detail = ['node', 'leader', 'namespace', 'podName', 'generateName', 'path', 'version', 'durationMs', 'reason'].filter((k) => event[k] !== undefined && (k !== 'version' || typeof event[k] === 'number')).map((k) => `${k}=${JSON.stringify(event[k])}`);
        if (Array.isArray(event['servers'])) detail.push(`healthy=${(event['servers'] as { healthy: boolean }[]).filter((server) => server.healthy).length}/${event['servers'].length}`);
        console.log(`  +${((entry.at - from) / 1000).toFixed(1).padStart(6)} s  ${topic.padEnd(26)} ${detail.join(' ')}`);
      }
    },
    stop: () => consumer.stop(),
  };
}

/** unseal-keeper settings that initialise and unseal `vault` with a local (development) KMS key. */
export async function keeperEnv(vault: VaultServer): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'opzero-demo-keeper-'));
  await writeFile(join(dir, 'kms.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
  return {
    UNSEAL_KEEPER_VAULT_ADDRESSES: vault.address,
    UNSEAL_KEEPER_KMS_PROVIDER: 'local-key-file',
    UNSEAL_KEEPER_LOCAL_KEY_FILE: join(dir, 'kms.key'),
    UNSEAL_KEEPER_KEY_STORE: 'file',
    UNSEAL_KEEPER_KEY_STORE_FILE: join(dir, 'unseal-keys.json'),
    UNSEAL_KEEPER_INIT: 'true',
    UNSEAL_KEEPER_INIT_SHARES: '3',
    UNSEAL_KEEPER_INIT_THRESHOLD: '2',
  };
}

/** consul-gateway settings for a multi-server Consul on 127.0.0.1 (ports from each server's node meta). */
export function gatewayClusterEnv(cluster: ConsulCluster): Record<string, string> {
  const seed = cluster.members[0]!;
  return {
    CONSUL_GATEWAY_SEEDS: `127.0.0.1:${seed.httpPort}`,
    CONSUL_GATEWAY_SERVER_DNS_PORT: String(seed.dnsPort),
    CONSUL_GATEWAY_HTTP_PORT_META: CONSUL_HTTP_PORT_META,
    CONSUL_GATEWAY_DNS_PORT_META: CONSUL_DNS_PORT_META,
  };
}

/** OpenBao sealed → initialised and unsealed by the keeper; then killed, restarted (sealed) and unsealed again. */
export async function sealStory(vault: VaultServer, timeline: Timeline, since: number): Promise<void> {
  const first = await timeline.next(Topics.unsealed, since);
  console.log(`  the unseal-keeper initialised and unsealed ${vault.address} (unseal took ${first.event['durationMs']} ms after it saw the node sealed)`);
  const killedAt = Date.now();
  await vault.kill();
  console.log('  OpenBao killed (SIGKILL); restarting it: it comes back sealed');
  await vault.restart();
  const sealed = await timeline.next(Topics.sealed, killedAt);
  const unsealed = await timeline.next(Topics.unsealed, killedAt);
  console.log(`  vault.sealed.v1 at +${((sealed.at - killedAt) / 1000).toFixed(1)} s, vault.unsealed.v1 at +${((unsealed.at - killedAt) / 1000).toFixed(1)} s (unseal ${unsealed.event['durationMs']} ms after detection)`);
  const status = (await requestJson('GET', `${vault.address}/v1/sys/seal-status`)).body as { sealed: boolean; initialized: boolean };
  console.log(`  sys/seal-status: initialized=${status.initialized} sealed=${status.sealed}`);
}

/** This machine's facts through the gateway, then the Consul leader killed while the gateway keeps answering. */
export async function consulStory(cluster: ConsulCluster, gatewayApi: string, timeline: Timeline, listUrl: string): Promise<void> {
  const node = 'demo-this-machine';
  const started = Date.now();
  const collector = spawnSync(process.execPath, ['--require', '@swc-node/register', join(ROOT, 'apps/vm-config-collector/src/collector/main.ts'), '--once'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env['PATH'] ?? '', VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: gatewayApi, VM_CONFIG_COLLECTOR_NODE_NAME: node, VM_CONFIG_COLLECTOR_PLUGINS_DIR: join(tmpdir(), 'opzero-demo-no-plugins') },
  });
  if (collector.status !== 0) throw new Error(`the collector exited ${collector.status}: ${collector.stderr.slice(-1000)}`);
  const readPlatform = async () => {
    const response = await requestJson('GET', `${gatewayApi}/v1/kv/vm-config/${node}/platform?raw`);
    return response.status === 200 ? response : undefined;
  };
  const platform = await waitFor('the platform section through the gateway', readPlatform, { timeoutMs: 60_000, intervalMs: 100 });
  console.log(`  the collector wrote this machine's facts through the gateway; vm-config/${node}/platform: ${platform.text.slice(0, 100)}`);
  const collected = await timeline.next(Topics.vmconfigCollected, started, (event) => event['node'] === node);
  console.log(`  vmconfig.collected.v1 for ${node} after ${((collected.at - started) / 1000).toFixed(1)} s; the VM Config service: ${listUrl}`);

  const leader = await cluster.leader();
  const killedAt = Date.now();
  await leader.kill();
  console.log(`  killed the Consul leader ${leader.name} (${leader.rpcAddress})`);
  const answered = await waitFor('the gateway to answer after the kill', readPlatform, { timeoutMs: 120_000, intervalMs: 100 });
  console.log(`  the gateway answered GET vm-config/${node}/platform (${answered.text.length} bytes) ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
  const gone = [`127.0.0.1:${leader.httpPort}`, leader.rpcAddress];
  const changed = await timeline.next(Topics.consulServersChanged, killedAt, (event) => event['leader'] !== undefined && !gone.includes(String(event['leader'])));
  console.log(`  consul.servers-changed.v1: leader ${JSON.stringify(changed.event['leader'])}`);
}
