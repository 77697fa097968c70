// Two consul-gateway builds side by side in front of one real Consul server, closed-loop KV GETs
// in interleaved rounds (so swings of the shared machine hit both alike): CPU per request (/proc)
// and throughput, median of the rounds. A before/after measurement of a change:
//   node --require @swc-node/register tools/bench/gateway/compare-builds.ts <before/main.js> <after/main.js>
// COMPARE_CONNECTIONS (16), COMPARE_ROUNDS (6), COMPARE_CELL_MS (2000).
import { consulCall, requestJson, startConsulCluster, waitFor } from '@opzero/testing';
import { loadavg } from 'node:os';
import { percentile, printTable } from '../stats';
import { benchGatewayEnv, startBundledGateway, type BundledGateway } from './bundled-gateway';
import { closedLoop } from './closed-loop';
import { processCpuMicros } from './process-cpu';
import { runMain } from './run-main';

async function main(): Promise<void> {
  const builds = process.argv.slice(2);
  if (builds.length < 2) throw new Error('usage: compare-builds.ts <main.js> <main.js>...');
  const connections = Number(process.env['COMPARE_CONNECTIONS'] ?? 16);
  const rounds = Number(process.env['COMPARE_ROUNDS'] ?? 6);
  const cellMs = Number(process.env['COMPARE_CELL_MS'] ?? 2_000);
  const cluster = await startConsulCluster(1);
  const [server] = cluster.members as [(typeof cluster.members)[number]];
  const running: { build: string; gateway: BundledGateway; base: string }[] = [];
  try {
    for (const build of builds) {
      const { env, adminPort, listenPort } = await benchGatewayEnv(server.httpPort, 1);
      const gateway = await startBundledGateway(env, [], build);
      running.push({ build, gateway, base: `http://127.0.0.1:${listenPort}` });
      await waitFor(`${build} ready`, async () => ((await requestJson('GET', `http://127.0.0.1:${adminPort}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 60_000 });
    }
    await consulCall(server.address, 'PUT', '/v1/kv/bench/key', 'value');
    const figures = new Map<string, { cpu: number[]; rps: number[] }>(builds.map((build) => [build, { cpu: [], rps: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const { build, gateway, base } of running) {
        const before = processCpuMicros(gateway.pid);
        const run = await closedLoop(base, '/v1/kv/bench/key', connections, cellMs, 300);
        const cpu = (processCpuMicros(gateway.pid) - before) / Math.max(1, run.completed);
        figures.get(build)?.cpu.push(cpu);
        figures.get(build)?.rps.push(run.rps);
      }
    }
    console.log(`\n${connections} connections, median of ${rounds} interleaved rounds of ${cellMs / 1000} s, one Consul server, machine load average ${loadavg()[0]?.toFixed(1)}`);
    printTable(
      ['build', 'CPU µs/request', 'req/s'],
      builds.map((build) => {
        const { cpu, rps } = figures.get(build) as { cpu: number[]; rps: number[] };
        return [build, String(Math.round(percentile(cpu, 50))), percentile(rps, 50).toFixed(0)];
      }),
    );
  } finally {
    for (const { gateway } of running) await gateway.stop();
    await cluster.stop();
  }
}

runMain(main);
