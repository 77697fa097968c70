// Rotation benchmark on one OpenBao (dev, with a file audit device) and real Kafka.
// 1. Vault load over N (and P): at each point N sidecars of each way run side by side, each
//    sidecar with its own token: `bao agent` 2.7.2 re-reading every 5 s, our agent re-reading
//    every 5 s without the service, our agent (5-minute interval) subscribed to the rotation
//    service (apps/agent-renderer). OpenBao's audit log attributes every request to its client
//    (token display name) and purpose (path): idle requests per minute, and what one rotation
//    costs the subscribed sidecars.
// 2. Latency: write → file changed for every subscribed sidecar at each N of --latency, split
//    into detection (write → the service's detectedAt) and push + re-render (detectedAt → file),
//    with the spread between the first and last sidecar; bao agent at 5 s beside it.
// Run: npm run bench:rotation [-- --sweep 5,10,20,50] [--paths 2] [--p-sweep 4,8] [--p-sweep-sidecars 10]
//        [--idle 20] [--latency 10,20] [--rotations 20] [--polled-rotations 5] [--spread]
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, defaultTopicSettings, ensureTopics, EventProducer } from '@opzero/bus';
import { exampleEvents, podCreated, secretRotated, Topics } from '@opzero/contracts';
import { freePort, startAgentRenderer, startKafka, subscribeFromBeginning, waitFor, type AppProcess } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { buildAgentBundle } from '../../../libs/agent/test/agent-runner';
import { percentile, printTable } from '../stats';
import { AuditLog, type Tally } from './audit-tally';
import { startAuditedVault } from './audited-vault';
import { cpuMs, keyOf, pathOf, rssKiB, SPREAD, startFleet, WAYS, type Fleet, type FleetContext, type Way } from './fleet';

const listArgument = (name: string, fallback: number[]) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1]!.split(',').map(Number) : fallback;
};
const argument = (name: string, fallback: number) => listArgument(name, [fallback])[0]!;
const SWEEP = listArgument('sweep', [5, 10, 20]);
const PATHS = argument('paths', 2);
const P_SWEEP = listArgument('p-sweep', []);
const P_SWEEP_SIDECARS = argument('p-sweep-sidecars', 10);
const IDLE_S = argument('idle', 20);
const LATENCY = listArgument('latency', [10, 20]);
const ROTATIONS = argument('rotations', 20);
const POLLED_ROTATIONS = argument('polled-rotations', 5);
/** The service's default WATCH_GRANT_TTL_MS, in minutes. */
const GRANT_TTL_MIN = 5;
/** The subscribed sidecars' static_secret_render_interval (fleet.ts), in minutes. */
const SUBSCRIBED_INTERVAL_MIN = 5;
/** Rotations at each load point, to count what one costs the subscribed sidecars. */
const LOAD_ROTATIONS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const loadAverage = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');

interface LoadPoint {
  sidecars: number;
  paths: number;
  idle: Tally;
  idleSeconds: number;
  /** Requests of the subscribed sidecars' way (their reads and the service's grant checks) per rotation. */
  perRotation: Tally;
  rssKiB: Map<Way, number>;
  load: string;
}

/** Write → file figures of one fleet. */
interface LatencyRow {
  label: string;
  sidecars: number;
  total: number[];
  detect: number[];
  push: number[];
  spread: number[];
  load: string;
  /** The fleet's CPU over the rotations per sidecar and rotation (bao agent's: its polling included). */
  cpuMsPerSidecarRotation: number;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'opzero-bench-rotation-'));
  const maxPaths = Math.max(PATHS, ...P_SWEEP);
  const [vault, kafkaServer, bundle, servicePort] = await Promise.all([startAuditedVault(work), startKafka(), buildAgentBundle(join(work, 'bundle', 'agent.js')), freePort()]);
  const root = new VaultClient({ address: vault.address, token: vault.token });
  const audit = new AuditLog(vault.auditFile);
  const kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'bench-rotation' });
  const producer = new EventProducer(kafka, { contracts: [podCreated] });
  const fleets: Fleet[] = [];
  let service: AppProcess | undefined;
  const detected = new Map<string, number>();
  const consumer = await (async () => {
    await producer.connect();
    await waitFor('topics', () => ensureTopics(kafka, [secretRotated, podCreated], defaultTopicSettings).then(() => true), { timeoutMs: 60_000, intervalMs: 500 });
    return subscribeFromBeginning(kafka, Topics.secretRotated);
  })();
  try {
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as { path?: string; version?: number; detectedAt?: string };
        if (event.path && event.version && event.detectedAt) detected.set(`${event.path}@${event.version}`, Date.parse(event.detectedAt));
      },
    });
    await root.writePolicy('bench-read', 'path "secret/data/bench/*" { capabilities = ["read"] }');
    await root.writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }\npath "secret/detailed-metadata/*" { capabilities = ["list"] }');
    const token = async (policies: string[], displayName: string, noDefault = false) =>
      ((await root.write<unknown>('auth/token/create', { policies, no_default_policy: noDefault, ttl: '2h', display_name: displayName })) as unknown as { auth: { client_token: string } }).auth.client_token;
    const values: string[] = [];
    for (let i = 0; i < maxPaths; i++) {
      values[i] = `initial-${i}`;
      await root.kvWrite('secret', keyOf(i), { value: values[i] });
    }
    service = await startAgentRenderer(servicePort, {
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: kafkaServer.brokers.join(','),
      VAULT_ADDRESS: vault.address,
      VAULT_TOKEN: await token(['rotation-metadata'], 'svc', true),
      STATE_STORE: 'memory',
      RESTART_ON_ROTATE: 'false',
    });
    const context = (paths: number): FleetContext => ({
      work,
      vaultAddress: vault.address,
      bundle,
      serviceAddress: `http://127.0.0.1:${servicePort}`,
      paths,
      podToken: (name) => token(['bench-read'], name),
    });
    /** One admission naming the paths (the sidecars' pods would each send one; the index keeps distinct paths). */
    const indexPaths = (paths: number) =>
      producer.publish(podCreated, { ...exampleEvents[Topics.podCreated], admissionUid: randomUUID(), secrets: Array.from({ length: paths }, (_, i) => ({ name: `p${i}`, path: pathOf(i) })) });
    /** Writes a new value of path `i`; `watch` starts waiting for it before the write. */
    const rotate = async <T>(i: number, label: string, watch: (value: string) => Promise<T>) => {
      const value = (values[i] = `${label}-${randomUUID()}`);
      const seen = watch(value);
      const writtenAt = Date.now();
      const version = await root.kvWrite('secret', keyOf(i), { value });
      return { writtenAt, version, seen: await seen };
    };
    const running = async (way: Way, count: number, tag: string, paths: number) => {
      const fleet = await startFleet(way, count, tag, context(paths));
      fleets.push(fleet);
      return fleet;
    };
    const stopFleet = async (fleet: Fleet) => {
      await fleet.stop();
      fleets.splice(fleets.indexOf(fleet), 1);
    };

    // 1. Load points: the three ways side by side, attributed by the audit log.
    const loadPoint = async (sidecars: number, paths: number): Promise<LoadPoint> => {
      await indexPaths(paths);
      const tag = `n${sidecars}p${paths}`;
      const running3 = await Promise.all(WAYS.map((way) => running(way, sidecars, tag, paths)));
      await Promise.all(running3.flatMap((fleet) => values.slice(0, paths).map((value, i) => fleet.whenAll(i, value, 180_000))));
      // Settle: subscriptions made (their first grant check done), the pollers' first interval passed.
      await sleep(6_000);
      const load = await loadAverage();
      const from = await audit.offset();
      await sleep(IDLE_S * 1000);
      const idle = await audit.tally(from, await audit.offset());
      const rss = new Map<Way, number>();
      for (const fleet of running3) rss.set(fleet.way, percentile(await Promise.all(fleet.children.map((child) => rssKiB(child.pid))), 50));
      const rotationsFrom = await audit.offset();
      for (let r = 0; r < LOAD_ROTATIONS; r++) {
        await rotate(r % paths, tag, (value) => Promise.all(running3.map((fleet) => fleet.whenAll(r % paths, value, 60_000))));
      }
      const perRotation = await audit.tally(rotationsFrom, await audit.offset());
      for (const fleet of running3) await stopFleet(fleet);
      return { sidecars, paths, idle, idleSeconds: IDLE_S, perRotation, rssKiB: rss, load };
    };

    console.log(`\nrotation bench: one OpenBao 2.7.2 (dev, audit log), real Kafka; paths ${SPREAD ? 'each in a folder of its own (--spread)' : 'in one folder'}; load average at start ${await loadAverage()}\n`);
    const points: LoadPoint[] = [];
    for (const sidecars of SWEEP) points.push(await loadPoint(sidecars, PATHS));
    for (const paths of P_SWEEP) points.push(await loadPoint(P_SWEEP_SIDECARS, paths));

    // 2. Latency: subscribed sidecars alone, then bao agent at 5 s.
    const latency: LatencyRow[] = [];
    const measure = async (way: Way, sidecars: number, rotations: number) => {
      const fleet = await running(way, sidecars, `lat-${sidecars}`, PATHS);
      await Promise.all(values.slice(0, PATHS).map((value, i) => fleet.whenAll(i, value, 180_000)));
      await sleep(3_000);
      const result: LatencyRow = { label: way, sidecars, total: [], detect: [], push: [], spread: [], load: await loadAverage(), cpuMsPerSidecarRotation: 0 };
      const fleetCpu = async () => (await Promise.all(fleet.children.map((child) => cpuMs(child.pid)))).reduce((a, b) => a + b, 0);
      const cpuBefore = await fleetCpu();
      for (let r = 0; r < rotations; r++) {
        const i = r % PATHS;
        const { writtenAt, version, seen: times } = await rotate(i, `lat-${sidecars}-${r}`, (value) => fleet.whenAll(i, value, 60_000));
        for (const at of times) result.total.push(at - writtenAt);
        result.spread.push(Math.max(...times) - Math.min(...times));
        if (way === 'opzero + service') {
          const at = await waitFor('secret-rotated seen by the bench', async () => detected.get(`${pathOf(i)}@${version}`), { timeoutMs: 30_000, intervalMs: 20 });
          result.detect.push(at - writtenAt);
          for (const fileAt of times) result.push.push(fileAt - at);
        }
        // The next rotation 300 ms after every sidecar has this one.
        await sleep(300);
      }
      result.cpuMsPerSidecarRotation = ((await fleetCpu()) - cpuBefore) / (rotations * sidecars);
      await stopFleet(fleet);
      latency.push(result);
    };
    for (const sidecars of LATENCY) await measure('opzero + service', sidecars, ROTATIONS);
    await measure('bao agent, 5 s', LATENCY[0]!, POLLED_ROTATIONS);

    report(points, latency);
    console.log(`\nrotation service RSS: ${((await rssKiB(service.pid)) / 1024).toFixed(1)} MiB (from TypeScript through @swc-node/register); load average at end ${await loadAverage()}`);
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.stop()));
    await service?.kill();
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await Promise.all([vault.stop(), kafkaServer.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

function report(points: LoadPoint[], latency: LatencyRow[]): void {
  const perMinute = (point: LoadPoint, count: number) => ((count * 60) / point.idleSeconds).toFixed(0);
  console.log('\nVault requests per minute while idle (OpenBao audit log, every client attributed by its token)\n');
  printTable(
    ['sidecars N', 'paths P', 'service (metadata watch)', 'its N sidecars', `grant re-checks (N per ${GRANT_TTL_MIN} min, computed)`, `interval re-reads (N × P per ${SUBSCRIBED_INTERVAL_MIN} min, computed)`, 'opzero + service', 'opzero 5 s, no service', 'bao agent 5 s', 'ratio opzero+service / bao', 'load avg'],
    points.map((point) => {
      const service = point.idle.of('service');
      // A sidecar's read grant is checked when it subscribes (before the window) and again once
      // per WATCH_GRANT_TTL_MS (default 5 min), longer than the window: added here, computed.
      const rechecks = (point.sidecars / GRANT_TTL_MIN) * (point.idleSeconds / 60);
      // The subscribed sidecars keep their 5-minute static_secret_render_interval (the fallback
      // that also covers a version the service took as its baseline): also longer than the window.
      const rereads = ((point.sidecars * point.paths) / SUBSCRIBED_INTERVAL_MIN) * (point.idleSeconds / 60);
      const subscribed = point.idle.of('opzero + service');
      const bao = point.idle.of('bao agent, 5 s');
      return [
        String(point.sidecars),
        String(point.paths),
        perMinute(point, service),
        perMinute(point, subscribed),
        perMinute(point, rechecks),
        perMinute(point, rereads),
        perMinute(point, service + subscribed + rechecks + rereads),
        perMinute(point, point.idle.of('opzero, 5 s, no service')),
        perMinute(point, bao),
        ((service + subscribed + rechecks + rereads) / bao).toFixed(3),
        point.load,
      ];
    }),
  );
  console.log(`\nWhat one rotation costs the subscribed sidecars (requests per rotation, ${LOAD_ROTATIONS} rotations per point; the reading of the new value is inherent)\n`);
  printTable(
    ['sidecars N', 'paths P', 'secret reads', 'grant checks', 'mount lookups', 'other', 'per sidecar', 'RSS median MiB: bao / opzero 5 s / opzero + service'],
    points.map((point) => {
      const t = point.perRotation;
      const of = (purpose: Parameters<Tally['of']>[1]) => (t.of('opzero + service', purpose) / LOAD_ROTATIONS).toFixed(1);
      return [
        String(point.sidecars),
        String(point.paths),
        of(['secret read']),
        of(['grant check']),
        of(['mount lookup']),
        of(['token lookup/renew', 'other', 'metadata watch']),
        (t.of('opzero + service') / LOAD_ROTATIONS / point.sidecars).toFixed(2),
        WAYS.map((way) => ((point.rssKiB.get(way) ?? NaN) / 1024).toFixed(1)).join(' / '),
      ];
    }),
  );
  console.log('\nWrite → file changed, every sidecar (ms); detection = write → the service emits; push + render = emitted → file\n');
  const q = (values: number[], p: number) => (values.length ? percentile(values, p).toFixed(0) : '-');
  printTable(
    ['way', 'N', 'rotations × sidecars', 'p50', 'p99', 'max', 'detection p50/p99', 'push + render p50/p99', 'first→last sidecar p50/p99', 'sidecar CPU ms per rotation', 'load avg'],
    latency.map((row) => [
      row.label,
      String(row.sidecars),
      String(row.total.length),
      q(row.total, 50),
      q(row.total, 99),
      q(row.total, 100),
      `${q(row.detect, 50)} / ${q(row.detect, 99)}`,
      `${q(row.push, 50)} / ${q(row.push, 99)}`,
      `${q(row.spread, 50)} / ${q(row.spread, 99)}`,
      row.cpuMsPerSidecarRotation.toFixed(1),
      row.load,
    ]),
  );
  const bao = latency.find((row) => row.label === 'bao agent, 5 s');
  for (const row of latency.filter((r) => r !== bao)) {
    if (bao) console.log(`ratio p50 / p99, opzero + service at N=${row.sidecars} to bao agent 5 s at N=${bao.sidecars}: ${(percentile(row.total, 50) / percentile(bao.total, 50)).toFixed(3)} / ${(percentile(row.total, 99) / percentile(bao.total, 99)).toFixed(3)}`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
