/**
 * The vm-config collector beside Chef's `ohai` (Debian's package) on this machine, in the same
 * run: a coverage table per fact family (ours: section present / Ohai: its attributes present),
 * then wall, CPU (user+system) and peak RSS of full collections, interleaved so both see the
 * same machine load. Ours runs as one esbuild bundle under plain `node` (as shipped), `--print`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FACT_FAMILIES } from '@opzero/vm-facts';
import { measureProcess as measure, type ProcessSample as Sample } from '../process-sample';

const ROOT = join(__dirname, '../../..');
const BUNDLE = join(ROOT, 'dist/vm-config-collector/collector.js');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
/** The node flags of deploy/vm-config-collector.service (the collector as the unit runs it). */
const UNIT_NODE_FLAGS = ['--lite-mode'];

function jsonOf(bin: string, args: string[]): Record<string, unknown> {
  const result = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${bin} exited ${result.status}: ${result.stderr.slice(-500)}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const isEmpty = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const pad = (text: string, width: number) => text.padEnd(width);

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'apps/vm-config-collector/collector-bundle.mjs')], { stdio: 'ignore' });
  const version = spawnSync('ohai', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const ours = jsonOf('node', [BUNDLE, '--print']);
  const ohai = jsonOf('ohai', []);
  console.log(`collector bench: ours (node ${process.version}, bundle) vs ${version}, ${RUNS} interleaved runs each\n`);
  console.log(`${pad('family', 16)}${pad('ours', 8)}${pad('Ohai attributes present', 50)}`);
  for (const family of FACT_FAMILIES) {
    const present = family.ohai.filter((name) => ohai[name] !== undefined).map((name) => (isEmpty(ohai[name]) ? `${name} (empty)` : name));
    console.log(`${pad(family.section, 16)}${pad(ours[family.section] ? 'yes' : 'NO', 8)}${present.length ? present.join(', ') : '-'}`);
  }
  const covered = new Set(FACT_FAMILIES.flatMap((f) => f.ohai));
  const ohaiOnly = Object.keys(ohai).filter((name) => !covered.has(name)).sort();
  console.log(`\nOhai top-level attributes: ${Object.keys(ohai).length}; ours: ${Object.keys(ours).length} sections`);
  console.log(`Ohai attributes with no family of ours: ${ohaiOnly.join(', ') || 'none'}`);

  const samples: Record<'ours' | 'unit' | 'ohai', Sample[]> = { ours: [], unit: [], ohai: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.ours.push(await measure('node', [BUNDLE, '--print']));
    samples.unit.push(await measure('node', [...UNIT_NODE_FLAGS, BUNDLE, '--print']));
    samples.ohai.push(await measure('ohai', []));
  }
  const row = (name: string, s: Sample[]) =>
    `${pad(name, 8)}${pad(median(s.map((x) => x.wallMs)).toFixed(0), 12)}${pad(median(s.map((x) => x.cpuMs)).toFixed(0), 12)}${(median(s.map((x) => x.rssKiB)) / 1024).toFixed(1)}`;
  console.log(`\n${pad('', 8)}${pad('wall ms', 12)}${pad('CPU ms', 12)}peak RSS MiB   (medians)`);
  console.log(row('ours', samples.ours));
  console.log(row('unit', samples.unit));
  console.log(row('ohai', samples.ohai));
  console.log(`(unit: node ${UNIT_NODE_FLAGS.join(' ')}, as deploy/vm-config-collector.service runs it)`);
  for (const name of ['ours', 'unit'] as const) {
    const ratio = (pick: (x: Sample) => number) => (median(samples[name].map(pick)) / median(samples.ohai.map(pick))).toFixed(2);
    console.log(`ratio ${name}/ohai: wall ${ratio((x) => x.wallMs)}, CPU ${ratio((x) => x.cpuMs)}, RSS ${ratio((x) => x.rssKiB)}  (goal: <= 0.5, <= 0.5, <= 1)`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
