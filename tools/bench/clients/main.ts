// Start-up and memory cost of the Vault and Consul clients: a fresh `node` that loads the
// package (or our bundled lib) against a fresh `node` that loads nothing, interleaved round by
// round so machine noise hits every case alike. Wall time is spawn to exit as the parent sees
// it, CPU is the child's user+system time, RSS its peak (resourceUsage()). On a shared machine
// CPU time is the steadiest measure of the load cost; wall time shows what contention adds. Run: npm run bench:clients [-- --runs 11]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { printTable } from '../stats';

const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 11;
const root = join(__dirname, '../../..');

/** Bundles a lib the way an app image ships it (one file, dependencies inside). */
function bundle(entry: string): string {
  const outfile = join(mkdtempSync(join(tmpdir(), 'opzero-bench-clients-')), 'bundle.js');
  buildSync({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'error', tsconfig: join(root, 'tsconfig.base.json') });
  return outfile;
}

const cases: { name: string; code: string }[] = [
  { name: 'empty node', code: '' },
  { name: "require('node-vault')", code: "require('node-vault')" },
  { name: "require('node-vault')(config)", code: "require('node-vault')({ endpoint: 'http://127.0.0.1:8200', token: 't' })" },
  { name: '@opzero/vault bundle + client', code: `new (require(${JSON.stringify(bundle('libs/vault/src/index.ts'))}).VaultClient)({ address: 'http://127.0.0.1:8200' })` },
  { name: "require('consul')", code: "require('consul')" },
  { name: '@opzero/consul bundle + client', code: `new (require(${JSON.stringify(bundle('libs/consul/src/index.ts'))}).ConsulClient)({ address: 'http://127.0.0.1:8500' }).close()` },
];

const report = ';const u=process.resourceUsage();process.stdout.write(JSON.stringify({maxRss:u.maxRSS,cpu:(u.userCPUTime+u.systemCPUTime)/1000}))';
const samples = new Map(cases.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[], rss: [] as number[] }]));

for (let round = 0; round < RUNS; round++) {
  for (const c of cases) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['-e', c.code + report], { cwd: root, encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`${c.name}: exit ${child.status}: ${child.stderr}`);
    const sample = samples.get(c.name)!;
    sample.wall.push(wallMs);
    const usage = JSON.parse(child.stdout) as { maxRss: number; cpu: number };
    sample.rss.push(usage.maxRss / 1024);
    sample.cpu.push(usage.cpu);
  }
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!;
const baseline = samples.get('empty node')!;
/** `min / median / max (+median over empty node)` */
const cell = (values: number[], base: number[], unit: string, digits: number) => {
  const s = sorted(values);
  const delta = median(values) - median(base);
  return `${s[0]!.toFixed(digits)} / ${median(values).toFixed(digits)} / ${s[s.length - 1]!.toFixed(digits)} ${unit} (${delta >= 0 ? '+' : ''}${delta.toFixed(digits)})`;
};
console.log(`node ${process.version}, ${RUNS} runs per case, interleaved; min / median / max (median minus the empty node's)`);
printTable(
  ['case', 'wall', 'CPU (user+sys)', 'peak RSS'],
  cases.map((c) => {
    const { wall, cpu, rss } = samples.get(c.name)!;
    return [c.name, cell(wall, baseline.wall, 'ms', 0), cell(cpu, baseline.cpu, 'ms', 0), cell(rss, baseline.rss, 'MiB', 1)];
  }),
);
