// CPU profile of the consul-gateway bundle under closed-loop KV GETs in front of a real
// one-server Consul: `node --require @swc-node/register tools/bench/gateway/profile.ts [dir]`.
// Prints CPU per request (/proc) and the functions with the most self time; the .cpuprofile
// stays in `dir` (default /tmp/consul-gateway-profile) for a closer look. PROFILE_OFF=1 measures
// without the profiler; PROFILE_BUNDLE=<main.js> runs another build (a before/after comparison).
import { consulCall, requestJson, startConsulCluster, waitFor } from '@opzero/testing';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchGatewayEnv, startBundledGateway } from './bundled-gateway';
import { closedLoop } from './closed-loop';
import { processCpuMicros } from './process-cpu';
import { runMain } from './run-main';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function topSelfTime(file: string, count: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
  const perSample = (profile.endTime - profile.startTime) / profile.samples.length;
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (node.callFrame.functionName === '(idle)' || hits === 0) continue;
    const where = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules\/|dist\/apps\/)/, '$1')}:${node.callFrame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + hits * perSample);
    total += hits * perSample;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${where}`);
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '/tmp/consul-gateway-profile';
  const connections = Number(process.env['PROFILE_CONNECTIONS'] ?? 16);
  const seconds = Number(process.env['PROFILE_SECONDS'] ?? 8);
  rmSync(dir, { recursive: true, force: true });
  const cluster = await startConsulCluster(1);
  const [server] = cluster.members as [(typeof cluster.members)[number]];
  const { env, adminPort, listenPort } = await benchGatewayEnv(server.httpPort, 1);
  const gateway = await startBundledGateway(env, process.env['PROFILE_OFF'] ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`], process.env['PROFILE_BUNDLE']);
  try {
    await waitFor('consul-gateway ready', async () => ((await requestJson('GET', `http://127.0.0.1:${adminPort}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 60_000 });
    const base = `http://127.0.0.1:${listenPort}`;
    await consulCall(base, 'PUT', '/v1/kv/bench/key', 'value');
    await closedLoop(base, '/v1/kv/bench/key', connections, 1_000, 0); // warm-up (JIT)
    const cpuBefore = processCpuMicros(gateway.pid);
    const figures = await closedLoop(base, '/v1/kv/bench/key', connections, seconds * 1_000, 0);
    const cpu = processCpuMicros(gateway.pid) - cpuBefore;
    console.log(`${connections} connections, ${seconds} s: ${figures.rps.toFixed(0)} req/s, p50 ${Math.round(figures.p50us)} µs, errors ${figures.errors}, gateway CPU ${Math.round(cpu / (figures.requests + figures.errors))} µs per request`);
  } finally {
    await gateway.stop();
    await cluster.stop();
  }
  if (process.env['PROFILE_OFF']) return;
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  for (const file of files) {
    console.log(`\n${join(dir, file)}: self time, top 40`);
    for (const line of topSelfTime(join(dir, file), 40)) console.log(line);
  }
}

runMain(main);
