// Each app from its production bundle (plain node) against the same app from TypeScript through
// @swc-node/register (how tests and the old image ran it): start time (spawn -> first /readyz 200)
// and idle RSS, on real Kafka and Consul, plus the size of each production image podman holds.
// Usage: npm run bench:images   (BENCH_IMAGES_ROUNDS=N, default 3; images from npm run images)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePorts, localCertificateFiles, requestJson, spawnApp, startConsul, startKafka, type RealServer } from '@opzero/testing';
import { bundleApp } from '../build/bundle-app';
import { percentile, printTable } from '../bench/stats';
import { APPS, appEnv, type AppSurroundings } from '../demo/app-process';

const ROUNDS = Number(process.env['BENCH_IMAGES_ROUNDS'] ?? 3);
const IDLE_MS = 5_000;

interface Run {
  startMs: number;
  rssMiB: number;
}

/** Resident set size of a process, from /proc. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

/** Spawns the app, polls /readyz every 20 ms until 200, idles, samples RSS, stops it. */
async function runOnce(app: string, around: AppSurroundings, ca: string, bundle?: string): Promise<Run> {
  const [port] = await freePorts(1);
  const url = `${app === 'injector' ? 'https' : 'http'}://127.0.0.1:${port}/readyz`;
  const started = process.hrtime.bigint();
  const running = spawnApp(app, appEnv(app, port as number, around), { bundle });
  try {
    const deadline = Date.now() + 120_000;
    while ((await requestJson('GET', url, { ca }).catch(() => undefined))?.status !== 200) {
      if (Date.now() > deadline) throw new Error(`${app} not ready after 120 s: ${running.output().slice(-1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const startMs = Number(process.hrtime.bigint() - started) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rss = rssMiB(running.pid as number);
    const status = await running.stop();
    if (status !== 0) throw new Error(`${app} exited ${status} on SIGTERM: ${running.output().slice(-1000)}`);
    return { startMs, rssMiB: rss };
  } finally {
    await running.kill();
  }
}

function imageSize(app: string): string {
  try {
    const bytes = Number(execFileSync('podman', ['image', 'inspect', '--format', '{{.Size}}', `opzero/${app}:0.1.0`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    return `${(bytes / 1e6).toFixed(0)} MB`;
  } catch {
    return 'not built (npm run images)';
  }
}

async function main(): Promise<void> {
  const servers: RealServer[] = [];
  try {
    const kafka = await startKafka();
    servers.push(kafka);
    const consul = await startConsul();
    servers.push(consul);
    const tls = await localCertificateFiles();
    const [gatewayApiPort] = await freePorts(1);
    const around: AppSurroundings = { brokers: kafka.brokers, tls, consulSeed: new URL(consul.address).host, gatewayApiPort };
    const rows: string[][] = [];
    for (const app of APPS) {
      const bundle = await bundleApp(app);
      const runs: Record<'bundle' | 'swc', Run[]> = { bundle: [], swc: [] };
      // Interleaved, so load on the machine hits both alike.
      for (let round = 0; round < ROUNDS; round++) {
        runs.bundle.push(await runOnce(app, around, tls.ca, bundle));
        runs.swc.push(await runOnce(app, around, tls.ca));
      }
      const start = (r: Run[]) => percentile(r.map((x) => x.startMs), 50);
      const rss = (r: Run[]) => percentile(r.map((x) => x.rssMiB), 50);
      rows.push([
        app,
        `${start(runs.bundle).toFixed(0)} ms`,
        `${start(runs.swc).toFixed(0)} ms`,
        `${(start(runs.swc) / start(runs.bundle)).toFixed(2)}x`,
        `${rss(runs.bundle).toFixed(1)} MiB`,
        `${rss(runs.swc).toFixed(1)} MiB`,
        `${(rss(runs.swc) / rss(runs.bundle)).toFixed(2)}x`,
        imageSize(app),
      ]);
      console.error(`[bench:images] ${app} done`);
    }
    console.log(`\nmedian of ${ROUNDS} starts per runtime (spawn -> /readyz 200), RSS after ${IDLE_MS / 1000} s idle; node ${process.version}`);
    printTable(['app', 'start bundle', 'start swc-node', 'swc/bundle', 'RSS bundle', 'RSS swc-node', 'swc/bundle', 'image'], rows);
    console.log('image: node 20 + the bundle on an empty filesystem; the swc-node runtime needs the repository and node_modules (' +
      execFileSync('du', ['-sh', 'node_modules']).toString().split('\t')[0] + ' here) on top of node');
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
