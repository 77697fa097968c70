// Rotation benchmark: N sidecars on P KV v2 paths of one OpenBao, three ways in the same run:
// `bao agent` 2.7.2 re-reading every 5 s, our agent re-reading every 5 s without the service,
// and our agent (default 5-minute interval) subscribed to the rotation service
// (apps/agent-renderer, on real Kafka). Per way: write → file changed (every sidecar, p50 / p99 /
// max), Vault requests per minute while idle (OpenBao's own vault_core_handle_request count,
// the service's reads included), and RSS per sidecar. Ratios are against bao agent.
// Run: npm run bench:rotation [-- --sidecars 50] [-- --paths 2] [-- --rotations 50] [-- --polled-rotations 10] [-- --idle 60]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createKafka, defaultTopicSettings, ensureTopics, EventProducer } from '@opzero/bus';
import { exampleEvents, podCreated, secretRotated, Topics } from '@opzero/contracts';
import { freePort, requestJson, spawnApp, startKafka, startVault, waitFor, type AppProcess } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { baoBinary, buildAgentBundle, cleanEnv } from '../../../libs/agent/test/agent-runner';
import { percentile, printTable } from '../stats';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const SIDECARS = argument('sidecars', 10);
const PATHS = argument('paths', 2);
const ROTATIONS = argument('rotations', 20);
const POLLED_ROTATIONS = argument('polled-rotations', 5);
const IDLE_S = argument('idle', 30);

type Way = 'bao agent, 5 s' | 'opzero, 5 s, no service' | 'opzero + service';
interface WayResult {
  latenciesMs: number[];
  requestsPerMinute: number;
  /** The rotation service's own share (measured alone before its sidecars started). */
  serviceRequestsPerMinute?: number;
  rssKiB: number[];
  serviceRssKiB?: number;
}

const keyOf = (i: number) => `bench/p${i}`;
const pathOf = (i: number) => `secret/data/${keyOf(i)}`;

/** OpenBao's count of handled requests (its own metric, so every client is counted). */
async function vaultRequests(address: string, token: string): Promise<number> {
  const text = await (await fetch(`${address}/v1/sys/metrics?format=prometheus`, { headers: { 'X-Vault-Token': token } })).text();
  const match = /^vault_core_handle_request_count (\d+)/m.exec(text);
  if (!match) throw new Error('vault_core_handle_request_count missing from sys/metrics');
  return Number(match[1]);
}

async function rssKiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Resolves with the time `file` first holds `value` (an inotify watch on its directory, no polling). */
function whenContains(file: string, value: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () =>
      void readFile(file, 'utf8')
        .then((text) => {
          if (done || text !== value) return;
          done = true;
          watcher.close();
          clearTimeout(timer);
          resolve(Date.now());
        })
        .catch(() => undefined);
    const watcher = watch(dirname(file), check);
    const timer = setTimeout(() => {
      watcher.close();
      if (!done) reject(new Error(`${file} did not change to the new value within ${timeoutMs} ms`));
    }, timeoutMs);
    check();
  });
}

function sidecarConfig(dir: string, address: string, interval: string): object {
  return {
    // A sink as the injector configures one (bao also parses a lone JSON `method` object only beside a sink).
    auto_auth: { method: { type: 'token_file', config: { token_file_path: join(dir, 'token') } }, sink: [{ type: 'file', config: { path: join(dir, 'sink') } }] },
    exit_after_auth: false,
    vault: { address },
    template: Array.from({ length: PATHS }, (_, i) => ({ destination: join(dir, 'secrets', `p${i}`), contents: `{{ with secret "${pathOf(i)}" }}{{ .Data.data.value }}{{ end }}` })),
    template_config: { static_secret_render_interval: interval },
  };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'opzero-bench-rotation-'));
  const [vault, kafkaServer, bundle, servicePort] = await Promise.all([startVault({ mode: 'dev' }), startKafka(), buildAgentBundle(join(work, 'bundle', 'agent.js')), freePort()]);
  const root = new VaultClient({ address: vault.address, token: vault.token });
  const kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'bench-rotation' });
  const producer = new EventProducer(kafka, { contracts: [podCreated] });
  const children: ChildProcess[] = [];
  let service: AppProcess | undefined;
  try {
    await producer.connect();
    await waitFor('topics', () => ensureTopics(kafka, [secretRotated, podCreated], defaultTopicSettings).then(() => true), { timeoutMs: 60_000, intervalMs: 500 });
    await root.writePolicy('bench-read', 'path "secret/data/bench/*" { capabilities = ["read"] }');
    await root.writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }');
    const token = async (policies: string[], noDefault = false) =>
      ((await root.write<unknown>('auth/token/create', { policies, no_default_policy: noDefault, ttl: '2h' })) as unknown as { auth: { client_token: string } }).auth.client_token;
    const podToken = await token(['bench-read']);
    const metadataToken = await token(['rotation-metadata'], true);
    // What one metrics read adds to the count itself (subtracted from each window).
    const first = await vaultRequests(vault.address, vault.token);
    const overhead = (await vaultRequests(vault.address, vault.token)) - first;
    const values: string[] = [];
    for (let i = 0; i < PATHS; i++) {
      values[i] = `initial-${i}`;
      await root.kvWrite('secret', keyOf(i), { value: values[i] });
    }

    /** Vault's requests per minute over IDLE_S seconds with nothing written. */
    const idleRequestsPerMinute = async () => {
      const before = await vaultRequests(vault.address, vault.token);
      await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
      return ((await vaultRequests(vault.address, vault.token)) - before - overhead) * (60 / IDLE_S);
    };

    const run = async (way: Way, rotations: number): Promise<WayResult> => {
      const dirs: string[] = [];
      const started: ChildProcess[] = [];
      for (let n = 0; n < SIDECARS; n++) {
        const dir = join(work, `${way.replace(/\W+/g, '-')}-${n}`);
        await mkdir(join(dir, 'secrets'), { recursive: true });
        await writeFile(join(dir, 'token'), podToken);
        dirs.push(dir);
        const config = sidecarConfig(dir, vault.address, way === 'opzero + service' ? '5m' : '5s');
        const child =
          way === 'bao agent, 5 s'
            ? (await writeFile(join(dir, 'agent.json'), JSON.stringify(config)), spawn(baoBinary(), ['agent', `-config=${join(dir, 'agent.json')}`], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] }))
            : spawn(process.execPath, [bundle, 'agent'], {
                env: cleanEnv({ VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64'), ...(way === 'opzero + service' ? { OPZERO_ROTATION_ADDRESS: `http://127.0.0.1:${servicePort}` } : {}) }),
                stdio: ['ignore', 'ignore', 'pipe'],
              });
        let log = '';
        child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
        child.once('exit', (code) => code && code !== 0 && console.error(`${way} sidecar ${n} exited ${code}: ${log}`));
        started.push(child);
        children.push(child);
      }
      await Promise.all(dirs.flatMap((dir) => values.map((value, i) => whenContains(join(dir, 'secrets', `p${i}`), value, 120_000))));
      // Settle (subscriptions made, first interval passed), then count Vault's requests while idle.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const requestsPerMinute = await idleRequestsPerMinute();
      const rss = await Promise.all(started.map((child) => rssKiB(child.pid)));
      const latenciesMs: number[] = [];
      for (let r = 0; r < rotations; r++) {
        const i = r % PATHS;
        values[i] = `${way}-${r}-${randomUUID()}`;
        const writtenAt = Date.now();
        const changed = Promise.all(dirs.map((dir) => whenContains(join(dir, 'secrets', `p${i}`), values[i]!, 60_000)));
        await root.kvWrite('secret', keyOf(i), { value: values[i] });
        for (const at of await changed) latenciesMs.push(at - writtenAt);
      }
      for (const child of started) child.kill('SIGTERM');
      await Promise.all(started.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))));
      return { latenciesMs, requestsPerMinute, rssKiB: rss };
    };

    console.log(`\nrotation: ${SIDECARS} sidecars, ${PATHS} KV v2 paths, same OpenBao; idle load over ${IDLE_S} s; latency = write → file changed, every sidecar\n`);
    const results = new Map<Way, WayResult>();
    results.set('bao agent, 5 s', await run('bao agent, 5 s', POLLED_ROTATIONS));
    results.set('opzero, 5 s, no service', await run('opzero, 5 s, no service', POLLED_ROTATIONS));

    service = spawnApp('agent-renderer', {
      AGENT_RENDERER_HOST: '127.0.0.1',
      AGENT_RENDERER_PORT: String(servicePort),
      AGENT_RENDERER_LOG_LEVEL: 'warn',
      AGENT_RENDERER_KAFKA_BROKERS: kafkaServer.brokers.join(','),
      AGENT_RENDERER_VAULT_ADDRESS: vault.address,
      AGENT_RENDERER_VAULT_TOKEN: metadataToken,
      AGENT_RENDERER_STATE_STORE: 'memory',
      AGENT_RENDERER_RESTART_ON_ROTATE: 'false',
    });
    await waitFor('agent-renderer', async () => ((await requestJson('GET', `http://127.0.0.1:${servicePort}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 120_000 });
    // One admission names the paths (the service indexes pods; the sidecars' pods would each send one).
    await producer.publish(podCreated, { ...exampleEvents[Topics.podCreated], admissionUid: randomUUID(), secrets: values.map((_, i) => ({ name: `p${i}`, path: pathOf(i) })) });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const serviceRequestsPerMinute = await idleRequestsPerMinute();
    const withService = await run('opzero + service', ROTATIONS);
    withService.serviceRequestsPerMinute = serviceRequestsPerMinute;
    withService.serviceRssKiB = await rssKiB(service.pid);
    results.set('opzero + service', withService);

    const ways = [...results.keys()];
    const bao = results.get('bao agent, 5 s')!;
    const served = results.get('opzero + service')!;
    const cell = (f: (r: WayResult) => number, digits = 0) => ways.map((way) => f(results.get(way)!).toFixed(digits));
    const q = (p: number) => (r: WayResult) => percentile(r.latenciesMs, p);
    const perSidecar = (r: WayResult) => (r.requestsPerMinute - (r.serviceRequestsPerMinute ?? 0)) / SIDECARS;
    printTable(
      ['figure', ...ways, 'ratio service / bao'],
      [
        [`write → file p50 ms (${POLLED_ROTATIONS} / ${POLLED_ROTATIONS} / ${ROTATIONS} rotations × ${SIDECARS} sidecars)`, ...cell(q(50)), (q(50)(served) / q(50)(bao)).toFixed(3)],
        ['write → file p99 ms', ...cell(q(99)), (q(99)(served) / q(99)(bao)).toFixed(3)],
        ['write → file max ms', ...cell(q(100)), (q(100)(served) / q(100)(bao)).toFixed(3)],
        ['Vault requests per minute, idle (all sidecars + service)', ...cell((r) => r.requestsPerMinute), (served.requestsPerMinute / bao.requestsPerMinute).toFixed(3)],
        ['  of which the rotation service (alone, before its sidecars)', '', '', served.serviceRequestsPerMinute!.toFixed(0), ''],
        ['  per sidecar, the service excluded', ...cell((r) => (r.requestsPerMinute - (r.serviceRequestsPerMinute ?? 0)) / SIDECARS, 1), (perSidecar(served) / perSidecar(bao)).toFixed(3)],
        ['RSS per sidecar, median MiB', ...cell((r) => percentile(r.rssKiB, 50) / 1024, 1), (percentile(served.rssKiB, 50) / percentile(bao.rssKiB, 50)).toFixed(2)],
      ],
    );
    const breakEven = served.serviceRequestsPerMinute! / (perSidecar(bao) - perSidecar(served));
    console.log(`\nVault load with the service = ${served.serviceRequestsPerMinute!.toFixed(0)}/min (grows with the ${PATHS} paths, POLL_MIN_INTERVAL_MS) + ${perSidecar(served).toFixed(1)}/min per sidecar; bao agent at 5 s = ${perSidecar(bao).toFixed(1)}/min per sidecar: equal at about ${breakEven.toFixed(0)} sidecars, the service ahead beyond`);
    console.log(`rotation service RSS: ${((withService.serviceRssKiB ?? 0) / 1024).toFixed(1)} MiB (run from TypeScript through @swc-node/register, as tests run it), shared by all ${SIDECARS} sidecars`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await service?.kill();
    await producer.disconnect().catch(() => undefined);
    await Promise.all([vault.stop(), kafkaServer.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
