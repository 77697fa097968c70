/**
 * Throughput, latency and memory of opzero's injector and vault-k8s v1.7.6 side by side: same
 * machine, same corpus (the pods both inject), autocannon at concurrency 1, 16 and 64 over
 * HTTPS. Prints one table with the ratios (opzero / vault-k8s), then idle and peak RSS of each
 * side (all processes: the injector's cluster primary and its workers). Run: npm run bench:injector
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { admissionCorpus } from '../../../libs/annotations/corpus/admission-corpus';
import { freePort, localCertificateFiles, requestJson, spawnApp, startKafka, waitFor } from '@opzero/testing';
import { startReference } from '../../reference/vault-k8s/reference-server';
import { bundleInjector } from './bundle';
import { cpuSecondsOf, pssOf, RssSampler, rssOf, serverProcesses } from './rss';

const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 8);
const LEVELS = [1, 16, 64];
const VAULT_ADDRESS = 'https://vault.vault.svc:8200';

// autocannon ships no types; this is the part of its API the bench uses.
interface AutocannonResult { requests: { average: number; total: number }; latency: Record<string, number>; errors: number; non2xx: number }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => void;

interface Figures { rps: number; requests: number; p50: number; p99: number; p999: number; errors: number }

/** Workers of opzero's injector: one per core by default, as vault-k8s's Go runtime uses every core. */
const WORKERS = Number(process.env['BENCH_INJECTOR_WORKERS'] ?? availableParallelism());
/**
 * Cores vault-k8s's Go runtime may run on at once: as many as opzero has workers, unless
 * BENCH_GOMAXPROCS says otherwise, so both sides get the same parallelism (BENCH_INJECTOR_WORKERS=1
 * compares one Node process with vault-k8s at GOMAXPROCS=1).
 */
const GOMAXPROCS = Number(process.env['BENCH_GOMAXPROCS'] ?? WORKERS);

/**
 * How opzero's injector runs: `bundle` (default) is one JavaScript file run by plain node
 * (bundle.ts); `swc` is how tests and the current image run it, compiling TypeScript at start
 * through @swc-node/register, which holds about 90 MB more per process.
 */
const RUNTIME = process.env['BENCH_INJECTOR_RUNTIME'] ?? 'bundle';
/** A bundle built elsewhere (e.g. from an earlier commit, for before/after figures) instead of building this tree's. */
const PREBUILT_BUNDLE = process.env['BENCH_INJECTOR_BUNDLE'];

async function startOpzero(kafkaBrokers: string): Promise<{ url: string; port: number; stop(): Promise<unknown> }> {
  const port = await freePort();
  const { ca: cert, certFile, keyFile } = await localCertificateFiles();
  const env = {
    INJECTOR_HOST: '127.0.0.1',
    INJECTOR_PORT: String(port),
    INJECTOR_WORKERS: String(WORKERS),
    INJECTOR_LOG_LEVEL: 'error',
    INJECTOR_VAULT_ADDRESS: VAULT_ADDRESS,
    INJECTOR_KAFKA_BROKERS: kafkaBrokers,
    INJECTOR_TLS_CERT_FILE: certFile,
    INJECTOR_TLS_KEY_FILE: keyFile,
  };
  let stop: () => Promise<unknown>;
  if (RUNTIME === 'swc') {
    const injector = spawnApp('injector', env);
    stop = () => injector.stop();
  } else {
    const child = spawn(process.execPath, [PREBUILT_BUNDLE ?? (await bundleInjector())], { env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    stop = () => (child.kill('SIGTERM'), exited);
  }
  const url = `https://127.0.0.1:${port}`;
  await waitFor('opzero injector', async () => ((await requestJson('GET', `${url}/readyz`, { ca: cert })).status === 200 ? true : undefined));
  return { url, port, stop };
}

function run(url: string, bodies: string[], connections: number): Promise<Figures> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/mutate`,
        connections,
        duration: DURATION_S,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
        tlsOptions: { rejectUnauthorized: false },
      },
      (error, result) => {
        if (error) return reject(error);
        const latency = result.latency;
        resolve({ rps: result.requests.average, requests: result.requests.total, p50: latency['p50']!, p99: latency['p99']!, p999: latency['p99_9'] ?? latency['p999']!, errors: result.errors + result.non2xx });
      },
    );
  });
}

async function main(): Promise<void> {
  const bodies = admissionCorpus().filter((c) => c.expect === 'same').map((c) => JSON.stringify(c.review));
  // The reference binary inherits this process's environment.
  process.env['GOMAXPROCS'] = String(GOMAXPROCS);
  const reference = await startReference(VAULT_ADDRESS);
  // BENCH_KAFKA=real starts a real Kafka and the injector publishes every pod-created event, as
  // in a cluster. Otherwise Kafka is unreachable (vault-k8s publishes nothing): admission never
  // waits on the event buffer, but its background retries re-send the buffered batch.
  const kafka = process.env['BENCH_KAFKA'] === 'real' ? await startKafka() : undefined;
  const opzero = await startOpzero(kafka?.brokers.join(',') ?? process.env['BENCH_KAFKA_BROKERS'] ?? '127.0.0.1:1');
  const referencePort = Number(new URL(reference.url).port);
  // Idle: both started and answered their readiness probe, nothing sent yet; let them settle.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const processes = { theirs: serverProcesses(referencePort), ours: serverProcesses(opzero.port) };
  const idle = { theirs: rssOf(processes.theirs), ours: rssOf(processes.ours) };
  const idlePss = { theirs: pssOf(processes.theirs), ours: pssOf(processes.ours) };
  // CPU time of the server processes per answered request: unlike requests per second, it does
  // not depend on how much of the machine other work leaves to the two servers.
  const cpuPerRequest = async (pids: readonly number[], load: () => Promise<Figures>): Promise<Figures & { cpuUs: number }> => {
    const before = cpuSecondsOf(pids);
    const figures = await load();
    return { ...figures, cpuUs: figures.requests === 0 ? NaN : ((cpuSecondsOf(pids) - before) * 1e6) / figures.requests };
  };
  const peak = { theirs: new RssSampler(processes.theirs), ours: new RssSampler(processes.ours) };
  const rows: string[] = [];
  try {
    for (const connections of LEVELS) {
      // Warm both up, then measure one after the other on the same corpus.
      await run(opzero.url, bodies, connections).catch(() => undefined);
      peak.theirs.start();
      const theirs = await cpuPerRequest(processes.theirs, () => run(reference.url, bodies, connections));
      peak.theirs.stop();
      peak.ours.start();
      const ours = await cpuPerRequest(processes.ours, () => run(opzero.url, bodies, connections));
      peak.ours.stop();
      const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
      rows.push(
        [
          String(connections).padStart(3),
          theirs.rps.toFixed(0).padStart(8), ours.rps.toFixed(0).padStart(8), ratio(ours.rps, theirs.rps).padStart(6),
          `${theirs.p50}/${theirs.p99}/${theirs.p999}`.padStart(14), `${ours.p50}/${ours.p99}/${ours.p999}`.padStart(14),
          ratio(ours.p99, theirs.p99).padStart(6), `${theirs.errors}/${ours.errors}`.padStart(7),
          `${theirs.cpuUs.toFixed(0)}/${ours.cpuUs.toFixed(0)}`.padStart(11), ratio(ours.cpuUs, theirs.cpuUs).padStart(6),
        ].join(' | '),
      );
    }
  } finally {
    peak.theirs.stop();
    peak.ours.stop();
    await opzero.stop();
    await reference.stop();
    await kafka?.stop();
  }
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  process.stdout.write(`\ninjector benchmark: ${bodies.length} AdmissionReviews cycled, ${DURATION_S} s per run, HTTPS, latency in ms; opzero (${PREBUILT_BUNDLE ? `bundle ${PREBUILT_BUNDLE}` : `${RUNTIME} runtime`}, Kafka ${kafka ? 'up' : 'unreachable'}) with ${WORKERS} worker(s), vault-k8s with GOMAXPROCS=${GOMAXPROCS}\n`);
  process.stdout.write(`conc | vk8s rps | opz rps |  ratio | vk8s p50/p99/p999 | opz p50/p99/p999 | p99 ratio | errors vk8s/opz | CPU us/req vk8s/opz | CPU ratio\n`);
  for (const row of rows) process.stdout.write(`${row}\n`);
  process.stdout.write(`\nRSS (all processes of each side: vault-k8s ${processes.theirs.length}, opzero ${processes.ours.length}) | vault-k8s | opzero | ratio\n`);
  process.stdout.write(`idle | ${mb(idle.theirs)} | ${mb(idle.ours)} | ${(idle.ours / idle.theirs).toFixed(2)}\n`);
  process.stdout.write(`peak under load | ${mb(peak.theirs.peak)} | ${mb(peak.ours.peak)} | ${(peak.ours.peak / peak.theirs.peak).toFixed(2)}\n`);
  process.stdout.write(`PSS (pages shared between processes, as the node binary between workers, counted once) | vault-k8s | opzero | ratio\n`);
  process.stdout.write(`idle | ${mb(idlePss.theirs)} | ${mb(idlePss.ours)} | ${(idlePss.ours / idlePss.theirs).toFixed(2)}\n`);
  process.stdout.write(`peak under load | ${mb(peak.theirs.peakPss)} | ${mb(peak.ours.peakPss)} | ${(peak.ours.peakPss / peak.theirs.peakPss).toFixed(2)}\n`);
  process.stdout.write(`machine load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (other work on the machine lowers both sides' requests per second; CPU per request is less sensitive to it)\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
