// consul-gateway against HAProxy 2.6, side by side in one run, in front of a real 3-server
// Consul 1.16.3 cluster on 127.0.0.1: KV GET throughput and added latency over direct access
// at 1, 16 and 64 connections (and each proxy's CPU per request, from /proc), with as many
// gateway worker processes as HAProxy threads (BENCH_WORKERS, default every core), then the
// issue's steady mix through both while a follower and then the leader are killed with
// SIGKILL. `npm run bench:gateway`; about four minutes.
// The gateway runs from its esbuild bundle (plain `node main.js`), as its image does.
import {
  auditConsulLoadMix,
  consulCall,
  freePorts,
  requestJson,
  runConsulLoadMix,
  startConsulCluster,
  waitFor,
  type ConsulClusterMember,
  type MixReport,
} from '@opzero/testing';
import { availableParallelism, loadavg } from 'node:os';
import { benchGatewayEnv, startBundledGateway } from './bundled-gateway';
import { percentile, printTable } from '../stats';
import { closedLoop, type LoadFigures } from './closed-loop';
import { processCpuMicros } from './process-cpu';
import { startHaproxy } from './haproxy';
import { runMain } from './run-main';

const CONNECTIONS = [1, 16, 64];
const CELL_MS = Number(process.env['BENCH_CELL_MS'] ?? 1_500);
/** Rounds per cell: targets take turns each round and the median round is reported. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
/** Cores each proxy may use: HAProxy threads and consul-gateway worker processes alike (default: every core). */
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? availableParallelism());
/** The median of several runs, figure by figure. */
/** One cell's figures plus the proxy process's CPU per answered request (NaN for direct access). */
type Cell = LoadFigures & { cpuUs: number };
const medianRun = (runs: Cell[]): Cell => {
  const median = (pick: (run: Cell) => number) => percentile(runs.map(pick), 50);
  return {
    requests: median((run) => run.requests),
    completed: median((run) => run.completed),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    rps: median((run) => run.rps),
    p50us: median((run) => run.p50us),
    p99us: median((run) => run.p99us),
    cpuUs: median((run) => run.cpuUs),
  };
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const cluster = await startConsulCluster(3);
  const leader = await cluster.leader();
  const follower = cluster.members.find((member) => member !== leader) as ConsulClusterMember;
  const [rrPort, leaderPort] = (await freePorts(2)) as [number, number];
  const { env, adminPort, listenPort } = await benchGatewayEnv(leader.httpPort, WORKERS);
  const gateway = await startBundledGateway(env);
  const gatewayAddress = `http://127.0.0.1:${listenPort}`;
  let haproxy: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  try {
    haproxy = await startHaproxy(cluster.members, leader, [rrPort, leaderPort], WORKERS);
    await waitFor('consul-gateway ready', async () => ((await requestJson('GET', `http://127.0.0.1:${adminPort}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 60_000 });
    await consulCall(gatewayAddress, 'PUT', '/v1/kv/bench/key', 'value');

    // name, address, pid of the proxy process whose CPU time is read from /proc (workers included)
    const targets: [string, string, number | undefined][] = [
      ['direct: leader', leader.address, undefined],
      ['direct: follower', follower.address, undefined],
      ['consul-gateway', gatewayAddress, gateway.pid],
      ['HAProxy round-robin', haproxy.roundRobin, haproxy.pid],
      ['HAProxy leader only', haproxy.leaderOnly, haproxy.pid],
    ];
    const results = new Map<string, Cell>();
    for (const connections of CONNECTIONS) {
      // Targets take turns, round after round, so swings in the shared machine's load hit all
      // alike; each figure is the median of the rounds.
      const rounds = new Map<string, Cell[]>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, base, pid] of targets) {
          const cpuBefore = pid === undefined ? 0 : processCpuMicros(pid);
          const figures = await closedLoop(base, '/v1/kv/bench/key', connections, CELL_MS, 300);
          const cpuUs = pid === undefined ? Number.NaN : (processCpuMicros(pid) - cpuBefore) / Math.max(1, figures.completed);
          rounds.set(name, [...(rounds.get(name) ?? []), { ...figures, cpuUs }]);
        }
      }
      for (const [name, runs] of rounds) results.set(`${name}@${connections}`, medianRun(runs));
    }
    console.log(
      `\nKV GET /v1/kv/bench/key (default consistency), median of ${ROUNDS} interleaved rounds of ${CELL_MS / 1000} s, 3 Consul servers on 127.0.0.1, ` +
        `consul-gateway ${WORKERS} worker processes, HAProxy nbthread ${WORKERS} (${availableParallelism()} cores), machine load average ${loadavg()[0]?.toFixed(1)}`,
    );
    const rows: string[][] = [];
    for (const connections of CONNECTIONS) {
      const direct = results.get(`direct: leader@${connections}`) as Cell;
      const gw = results.get(`consul-gateway@${connections}`) as Cell;
      for (const [name] of targets) {
        const figures = results.get(`${name}@${connections}`) as Cell;
        const added = name.startsWith('direct') ? '' : `+${Math.round(figures.p50us - direct.p50us)} / +${Math.round(figures.p99us - direct.p99us)}`;
        const ratio = name.startsWith('HAProxy') ? `gateway/this ${(gw.rps / figures.rps).toFixed(2)}x` : '';
        const cpu = Number.isNaN(figures.cpuUs) ? '' : String(Math.round(figures.cpuUs));
        rows.push([String(connections), name, figures.rps.toFixed(0), `${Math.round(figures.p50us)} / ${Math.round(figures.p99us)}`, added, cpu, String(figures.errors), ratio]);
      }
    }
    printTable(['conns', 'target', 'req/s', 'p50 / p99 µs', 'added p50 / p99 µs vs leader', 'proxy CPU µs/req', 'errors', 'throughput ratio'], rows);

    // The failover drill: both mixes at once through the same kills.
    let stopMixes!: () => void;
    const stop = new Promise<void>((resolve) => (stopMixes = resolve));
    const mixes = [runConsulLoadMix(gatewayAddress, stop, 'bench-gw'), runConsulLoadMix(haproxy.roundRobin, stop, 'bench-hap')];
    await pause(3_000);
    const killedFollower = (await cluster.leader()) === follower ? (cluster.members[2] as ConsulClusterMember) : follower;
    await killedFollower.kill();
    await pause(4_000);
    await killedFollower.restart();
    await pause(5_000);
    const killedLeader = await cluster.leader();
    await killedLeader.kill();
    await pause(8_000);
    await killedLeader.restart();
    await pause(4_000);
    stopMixes();
    const [gwMix, hapMix] = (await Promise.all(mixes)) as [MixReport, MixReport];
    const audit = async (name: string, report: MixReport, prefix: string) => {
      const { appliedTwice, lost, notAcknowledged } = await auditConsulLoadMix(leader.address === killedLeader.address ? follower.address : leader.address, report, prefix);
      return [
        name,
        `${report.failedReads.length} / ${report.reads + report.failedReads.length}`,
        `${report.longestReadGapMs}`,
        `${notAcknowledged.length} / ${report.plainWrites.length}`,
        `${appliedTwice.length} / ${lost.length}`,
        `${report.casWrites.failed.length} / ${report.casWrites.acknowledged + report.casWrites.failed.length + report.casWrites.conflicts}`,
        `${report.blocking.failed.length} / ${report.blocking.returned + report.blocking.failed.length}`,
        `${report.failedCatalogReads.length} / ${report.catalogReads + report.failedCatalogReads.length}`,
      ];
    };
    console.log(`\nSteady mix through each proxy while ${killedFollower.name} (follower) and then ${killedLeader.name} (leader) were SIGKILLed and restarted`);
    printTable(
      ['proxy', 'failed reads', 'longest gap ms', 'failed PUTs', 'applied twice / lost', 'failed cas PUTs', 'blocking errors', 'failed catalog reads'],
      [await audit('consul-gateway', gwMix, 'bench-gw'), await audit('HAProxy round-robin', hapMix, 'bench-hap')],
    );
  } finally {
    await haproxy?.stop();
    await gateway.stop();
    await cluster.stop();
  }
}

runMain(main);
