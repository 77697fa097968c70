// Agent benchmark: our bundled agent beside `bao agent` (OpenBao 2.7.2) in the same run, same
// configs, same OpenBao. Init mode (1 secret with approle and with token_file, 10 secrets):
// wall time start → exit and peak RSS, interleaved runs; Node's floor (`node -e 0`) and the
// cost of loading node-vault vs node:http(s) (why the agent has its own small client); then
// both agents as sidecars at once (2 secrets, 5 s static interval): RSS after 10 s idle, CPU
// over 60 s idle, Vault requests per minute counted by a proxy in front of OpenBao.
// Run: npm run bench:agent [-- --runs 5] [-- --idle 60]
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVault } from '@opzero/testing';
import { baoBinary, buildAgentBundle, cleanEnv } from '../../../libs/agent/test/agent-runner';
import { seedAgentVault, type SeededVault } from '../../../libs/agent/test/seed-agent-vault';
import { percentile, printTable } from '../stats';
import { measureProcess, type ProcessSample } from '../process-sample';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RUNS = argument('runs', 5);
const IDLE_S = argument('idle', 60);

const stats = (values: number[]) => [Math.min(...values), percentile(values, 50), Math.max(...values)] as const;
const fmtMs = (v: readonly number[]) => v.map((x) => x.toFixed(0)).join(' / ');
const fmtMiB = (v: readonly number[]) => v.map((x) => (x / 1024).toFixed(1)).join(' / ');

function initConfig(dir: string, address: string, method: 'approle' | 'token_file', secrets: number): Record<string, unknown> {
  const auth =
    method === 'approle'
      ? { type: 'approle', config: { role_id_file_path: join(dir, 'role-id'), secret_id_file_path: join(dir, 'secret-id'), remove_secret_id_file_after_reading: false } }
      : { type: 'token_file', config: { token_file_path: join(dir, 'token') } };
  return {
    auto_auth: { method: auth, sink: [{ type: 'file', config: { path: join(dir, 'sink') } }] },
    exit_after_auth: true,
    pid_file: join(dir, 'pid'),
    vault: { address },
    template: Array.from({ length: secrets }, (_, i) => ({ destination: join(dir, 'out', `s${i}`), contents: `{{ with secret "secret/data/bench/s${i}" }}{{ range $k, $v := .Data.data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}` })),
    template_config: { exit_on_retry_failure: true },
  };
}

async function agentArgs(kind: 'bao' | 'ours', bundle: string, dir: string, config: object): Promise<{ bin: string; args: string[]; env: Record<string, string> }> {
  if (kind === 'bao') {
    await writeFile(join(dir, 'agent.json'), JSON.stringify(config));
    return { bin: baoBinary(), args: ['agent', `-config=${join(dir, 'agent.json')}`], env: cleanEnv() };
  }
  return { bin: process.execPath, args: [bundle, 'agent'], env: cleanEnv({ VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64') }) };
}

async function initRows(work: string, bundle: string, vault: SeededVault): Promise<string[][]> {
  const scenarios: Array<{ name: string; method: 'approle' | 'token_file'; secrets: number }> = [
    { name: 'init, 1 secret (approle)', method: 'approle', secrets: 1 },
    { name: 'init, 1 secret (token file)', method: 'token_file', secrets: 1 },
    { name: 'init, 10 secrets (token file)', method: 'token_file', secrets: 10 },
  ];
  const rows: string[][] = [];
  for (const s of scenarios) {
    const samples: Record<'bao' | 'ours', ProcessSample[]> = { bao: [], ours: [] };
    for (let run = 0; run < RUNS + 1; run++) {
      for (const kind of ['bao', 'ours'] as const) {
        const dir = join(work, `${s.name.replace(/\W+/g, '-')}-${kind}-${run}`);
        await mkdir(join(dir, 'out'), { recursive: true });
        await writeFile(join(dir, 'token'), vault.agentToken);
        await writeFile(join(dir, 'role-id'), vault.approleRoleId);
        await writeFile(join(dir, 'secret-id'), await vault.newSecretId());
        const { bin, args, env } = await agentArgs(kind, bundle, dir, initConfig(dir, vault.address, s.method, s.secrets));
        const sample = await measureProcess(bin, args, env);
        if (run > 0) samples[kind].push(sample); // run 0 warms the page cache for both
      }
    }
    const wall = { bao: stats(samples.bao.map((x) => x.wallMs)), ours: stats(samples.ours.map((x) => x.wallMs)) };
    const rss = { bao: stats(samples.bao.map((x) => x.rssKiB)), ours: stats(samples.ours.map((x) => x.rssKiB)) };
    const cpu = { bao: stats(samples.bao.map((x) => x.cpuMs)), ours: stats(samples.ours.map((x) => x.cpuMs)) };
    rows.push([`${s.name}: wall ms`, fmtMs(wall.bao), fmtMs(wall.ours), (wall.ours[1] / wall.bao[1]).toFixed(2)]);
    rows.push([`${s.name}: CPU ms (user+sys)`, fmtMs(cpu.bao), fmtMs(cpu.ours), (cpu.ours[1] / cpu.bao[1]).toFixed(2)]);
    rows.push([`${s.name}: peak RSS MiB`, fmtMiB(rss.bao), fmtMiB(rss.ours), (rss.ours[1] / rss.bao[1]).toFixed(2)]);
  }
  return rows;
}

async function floorRows(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [name, code] of [
    ['node -e 0 (Node floor)', '0'],
    ['node: require node:http + node:https (our client)', "require('node:http');require('node:https')"],
    ["node: require('node-vault')", "require('node-vault')"],
  ] as const) {
    const samples: ProcessSample[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const s = await measureProcess(process.execPath, ['-e', code], cleanEnv({ NODE_PATH: join(process.cwd(), 'node_modules') }));
      if (i > 0) samples.push(s);
    }
    rows.push([`${name}: wall ms`, '', fmtMs(stats(samples.map((x) => x.wallMs))), '']);
    rows.push([`${name}: CPU ms (user+sys)`, '', fmtMs(stats(samples.map((x) => x.cpuMs))), '']);
    rows.push([`${name}: peak RSS MiB`, '', fmtMiB(stats(samples.map((x) => x.rssKiB))), '']);
  }
  return rows;
}

/** A counting HTTP proxy in front of OpenBao: one per sidecar, so each agent's requests are counted apart. */
async function countingProxy(target: URL): Promise<{ address: string; count: () => number; reset: () => void; close: () => void }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { address: `http://127.0.0.1:${port}`, count: () => count, reset: () => (count = 0), close: () => server.close() };
}

async function procStat(pid: number): Promise<{ rssKiB: number; anonKiB: number; cpuMs: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, fields 14 and 15
  return { rssKiB: field('VmRSS'), anonKiB: field('RssAnon'), cpuMs: (ticks * 1000) / 100 };
}

async function sidecarRows(work: string, bundle: string, vault: SeededVault): Promise<string[][]> {
  const sidecars = await Promise.all(
    (['bao', 'ours'] as const).map(async (kind) => {
      const proxy = await countingProxy(new URL(vault.address));
      const dir = join(work, `sidecar-${kind}`);
      await mkdir(join(dir, 'out'), { recursive: true });
      await writeFile(join(dir, 'token'), vault.agentToken);
      const config = { ...initConfig(dir, proxy.address, 'token_file', 2), exit_after_auth: false, template_config: { exit_on_retry_failure: true, static_secret_render_interval: '5s' } };
      const { bin, args, env } = await agentArgs(kind, bundle, dir, config);
      const child = spawn(bin, args, { env, stdio: 'ignore' });
      return { kind, proxy, child };
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const at10 = await Promise.all(sidecars.map((s) => procStat(s.child.pid as number)));
    for (const s of sidecars) s.proxy.reset();
    await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
    const atEnd = await Promise.all(sidecars.map((s) => procStat(s.child.pid as number)));
    const perMinute = sidecars.map((s) => (s.proxy.count() * 60) / IDLE_S);
    const [b10, o10] = at10 as [Awaited<ReturnType<typeof procStat>>, Awaited<ReturnType<typeof procStat>>];
    const cpu = atEnd.map((s, i) => s.cpuMs - (at10[i]?.cpuMs ?? 0)) as [number, number];
    return [
      ['sidecar, 2 secrets: RSS after 10 s idle MiB', (b10.rssKiB / 1024).toFixed(1), (o10.rssKiB / 1024).toFixed(1), (o10.rssKiB / b10.rssKiB).toFixed(2)],
      ['  of which private (RssAnon) MiB', (b10.anonKiB / 1024).toFixed(1), (o10.anonKiB / 1024).toFixed(1), (o10.anonKiB / b10.anonKiB).toFixed(2)],
      [`sidecar: CPU over ${IDLE_S} s idle ms`, cpu[0].toFixed(0), cpu[1].toFixed(0), cpu[0] > 0 ? (cpu[1] / cpu[0]).toFixed(2) : 'n/a'],
      ['sidecar: Vault requests per minute (5 s interval)', perMinute[0]!.toFixed(0), perMinute[1]!.toFixed(0), (perMinute[1]! / perMinute[0]!).toFixed(2)],
    ];
  } finally {
    for (const s of sidecars) {
      s.child.kill('SIGTERM');
      s.proxy.close();
    }
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'opzero-bench-agent-'));
  const server = await startVault({ mode: 'dev' });
  try {
    const bundle = await buildAgentBundle(join(work, 'bundle', 'agent.js'));
    const vault = await seedAgentVault(server.address, server.token);
    for (let i = 0; i < 10; i++) await vault.call('POST', `secret/data/bench/s${i}`, { data: { username: `user${i}`, password: `pass-${i}` } });
    console.log(`\nopzero agent vs bao agent — ${RUNS} runs each (min / median / max), interleaved, same OpenBao; ratio = ours / bao at the median\n`);
    const rows = [...(await initRows(work, bundle, vault)), ...(await floorRows()), ...(await sidecarRows(work, bundle, vault))];
    printTable(['figure', 'bao agent', 'opzero agent', 'ratio'], rows);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
