// Template benchmark: parse once, render many, for small (the example), medium
// (40 keys, ranges, functions) and large (2,000 lines) templates, with secrets already
// fetched (the agent's steady state); then the same templates through `bao agent` end to
// end, for orientation. Run: npm run bench:template [-- --renders 5000] [-- --no-agent]
import { SecretCache, parseTemplate, type SecretSource } from '@opzero/template';
import { startVault } from '@opzero/testing';
import { renderWithAgent } from '../../../libs/template/conformance/bao-agent';
import { percentile, printTable } from '../stats';
import { LARGE, MEDIUM, SMALL, devwebappData, mediumData } from './bench-templates';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RENDERS = argument('renders', 5_000);
const AGENT_RUNS = argument('agent-runs', 5);

const bodies: Record<string, string> = {
  'secret/data/devwebapp/config': JSON.stringify({ data: { data: devwebappData, metadata: { version: 1, deletion_time: '' } } }),
  'secret/data/medium': JSON.stringify({ data: { data: mediumData, metadata: { version: 1, deletion_time: '' } } }),
};
/** In-memory Vault answers, so the figures measure the template engine only. */
const memorySource: SecretSource = {
  async read(path) {
    if (path.startsWith('sys/internal/ui/mounts/')) return JSON.stringify({ data: { path: 'secret/', type: 'kv', options: { version: '2' } } });
    return bodies[path] ?? null;
  },
  async list() {
    return null;
  },
  async write() {
    return null;
  },
};

async function engine(name: string, source: string): Promise<string[]> {
  // Parse cost is reported warm (median of 9 after one cold parse): the agent parses once per template.
  parseTemplate(source, { name });
  const parseTimes: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint();
    parseTemplate(source, { name });
    parseTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const parseMs = percentile(parseTimes, 50);
  const template = parseTemplate(source, { name });
  const cache = new SecretCache(memorySource);
  await template.render({ cache }); // fetches once
  for (let i = 0; i < 200; i++) template.renderCached({ cache }); // warm-up
  const times: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < RENDERS; i++) {
    const t0 = process.hrtime.bigint();
    template.renderCached({ cache });
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  const totalS = Number(process.hrtime.bigint() - start) / 1e9;
  const lines = source.split('\n').length;
  return [name, String(lines), parseMs.toFixed(2), Math.round(RENDERS / totalS).toLocaleString('en'), percentile(times, 50).toFixed(1), percentile(times, 99).toFixed(1)];
}

async function agent(rows: [string, string][]): Promise<string[][]> {
  const vault = await startVault({ mode: 'dev' });
  try {
    for (const [path, body] of Object.entries(bodies)) {
      const response = await fetch(`${vault.address}/v1/${path}`, {
        method: 'POST',
        headers: { 'X-Vault-Token': vault.token },
        body: JSON.stringify({ data: (JSON.parse(body) as { data: { data: unknown } }).data.data }),
      });
      if (!response.ok) throw new Error(`seeding ${path}: HTTP ${response.status}`);
    }
    const out: string[][] = [];
    for (const [name, source] of rows) {
      const times: number[] = [];
      for (let i = 0; i < AGENT_RUNS; i++) {
        const t0 = process.hrtime.bigint();
        const r = await renderWithAgent(vault.address, vault.token, [{ id: name, template: source }], {});
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.exitCode !== 0) throw new Error(`bao agent failed on ${name}:\n${r.log.slice(-1000)}`);
      }
      out.push([name, String(AGENT_RUNS), percentile(times, 50).toFixed(0), percentile(times, 99).toFixed(0)]);
    }
    return out;
  } finally {
    await vault.stop();
  }
}

async function main(): Promise<void> {
  const templates: [string, string][] = [
    ['small', SMALL],
    ['medium', MEDIUM],
    ['large', LARGE],
  ];
  console.log(`libs/template: parse once, ${RENDERS} renders each (secrets cached)\n`);
  const rows: string[][] = [];
  for (const [name, source] of templates) rows.push(await engine(name, source));
  printTable(['template', 'lines', 'parse ms', 'renders/s', 'p50 µs', 'p99 µs'], rows);
  if (process.argv.includes('--no-agent')) return;
  console.log(`\nbao agent end to end (process start, token auth, read, render, write, exit), ${AGENT_RUNS} runs each\n`);
  printTable(['template', 'runs', 'p50 ms', 'p99 ms'], await agent(templates));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
