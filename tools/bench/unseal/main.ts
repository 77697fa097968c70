// Unseal latency, idle CPU and memory: opzero's unseal-keeper beside Bank-Vaults v1.33.1 and
// the floor (the unseal API calls alone), against one real OpenBao (sealed mode, raft), in one
// run. Each cycle seals the node through the API; "unseal" is sealed first visible in
// sys/seal-status → unsealed first visible there (the server's own wait between the seal call
// and sealed-visible is reported apart), and opzero's "detection" is sealed first visible → the
// keeper's own `node is sealed` (its log line's time). Both tools run at their default periods
// (opzero 500 ms, Bank-Vaults 5 s) and at the same periods (1 s and 5 s), and the idle figures
// of all five come from one shared window. Knobs: BENCH_CYCLES (50, opzero at its default),
// BENCH_SAME_CYCLES (20, each tool at 1 s and 5 s), BENCH_BV_CYCLES (20, Bank-Vaults at its default),
// BENCH_FLOOR_CYCLES (20), BENCH_IDLE_MS (60000), BENCH_SETTLE_MS (60000 before the idle window: V8 shrinks the heap with a few full collections about 30-40 s after start),
// BANK_VAULTS_BIN, BENCH_UNSEAL_RUNTIME (`bundle`, default: the app bundled and run by plain
// node; `swc`: through @swc-node/register, which alone holds about 90 MB per process),
// BENCH_KEEPER_NODE_FLAGS (extra node flags for the keeper, e.g. V8 heap limits).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { freePort, opzeroCache, startKafka, startVault, waitFor } from '@opzero/testing';
import { FileKeyStore, importUnsealKeys } from '@opzero/unseal';
import { bundleApp } from '../injector/bundle';
import { idleUsage } from './process-usage';
import { printReport, type Row } from './report';
import { SealMonitor } from './seal-monitor';

const CYCLES = Number(process.env['BENCH_CYCLES'] ?? 50);
const SAME_CYCLES = Number(process.env['BENCH_SAME_CYCLES'] ?? 20);
const BV_CYCLES = Number(process.env['BENCH_BV_CYCLES'] ?? 20);
const FLOOR_CYCLES = Number(process.env['BENCH_FLOOR_CYCLES'] ?? 20);
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 60_000);
const SETTLE_MS = Number(process.env['BENCH_SETTLE_MS'] ?? 60_000);
const NODE_FLAGS = (process.env['BENCH_KEEPER_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
const BANK_VAULTS = process.env['BANK_VAULTS_BIN'] ?? join(opzeroCache(), 'bank-vaults', 'bin', 'bank-vaults');
const RUNTIME = process.env['BENCH_UNSEAL_RUNTIME'] ?? 'bundle';
const root = join(__dirname, '../../..');

/** A keeper process, the times (performance.now() scale) at which it logged a node as sealed, and its unseal durations. */
interface Keeper extends Tracked {
  sealedAt: number[];
  unsealed: { at: number; durationMs: number }[];
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const [kafka, vault] = await Promise.all([startKafka(), startVault({ mode: 'sealed', initialize: { shares: 5, threshold: 3 } })]);
  const init = vault.init!;
  const dir = await mkdtemp(join(tmpdir(), 'bench-unseal-'));
  // opzero's store: the shares encrypted with a local AES-256-GCM key (Bank-Vaults' file mode keeps them in plain files).
  const key = randomBytes(32);
  await writeFile(join(dir, 'kms.key'), key.toString('base64'), { mode: 0o600 });
  await importUnsealKeys(new FileKeyStore(join(dir, 'keys.json')), LocalKeyFileKms.fromKey(key), init.keys, { threshold: 3, cluster: 'bench' });
  await mkdir(join(dir, 'bv'));
  await Promise.all(init.keys.map((share, i) => writeFile(join(dir, 'bv', `vault-unseal-${i}`), share, { mode: 0o600 })));
  await writeFile(join(dir, 'bv', 'vault-root'), init.rootToken, { mode: 0o600 });

  const monitor = new SealMonitor(vault.address);
  monitor.start();
  const seal = () =>
    waitFor('sys/seal accepted', async () => {
      const response = await fetch(`${vault.address}/v1/sys/seal`, { method: 'PUT', headers: { 'X-Vault-Token': init.rootToken } });
      return response.ok ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 20 });
  const cycles = async (tool: string, period: string, count: number, keeper?: Keeper): Promise<Row> => {
    const row: Row = { tool, period, unseal: [], serverSeal: [], ...(keeper ? { detection: [], keeperUnseal: [] } : {}) };
    await monitor.change(false, 0);
    for (let i = 0; i < count; i++) {
      const from = monitor.changes.length;
      const called = performance.now();
      await seal();
      const sealedSeen = await monitor.change(true, from);
      const unsealedSeen = await monitor.change(false, sealedSeen.index);
      row.serverSeal.push(sealedSeen.at - called);
      row.unseal.push(unsealedSeen.at - sealedSeen.at);
      if (keeper) {
        // The log line is written before the unseal calls, so it is there once unsealed is seen.
        const detected = await waitFor('the keeper\'s "node is sealed"', async () => keeper.sealedAt.find((at) => at >= called), { timeoutMs: 30_000, intervalMs: 5 });
        row.detection!.push(detected - sealedSeen.at);
        const done = await waitFor('the keeper\'s "node unsealed"', async () => keeper.unsealed.find((line) => line.at >= detected), { timeoutMs: 30_000, intervalMs: 5 });
        row.keeperUnseal!.push(done.durationMs);
      }
    }
    return row;
  };
  const rows: Row[] = [];

  // The floor: a bare script that submits 3 shares the moment it sees the node sealed.
  let floorOn = true;
  const floor = (async () => {
    let from = 0;
    while (floorOn) {
      const seen = await monitor.change(true, from, 3_600_000);
      from = seen.index + 1;
      if (!floorOn) break;
      // A share refused while the server is still settling leaves it sealed: start over until it is not.
      for (let unsealed = false, attempt = 0; !unsealed; attempt++) {
        try {
          if (attempt > 0) await fetch(`${vault.address}/v1/sys/unseal`, { method: 'PUT', body: JSON.stringify({ reset: true }) });
          for (const share of init.keys.slice(0, 3)) {
            const answer = (await (await fetch(`${vault.address}/v1/sys/unseal`, { method: 'PUT', body: JSON.stringify({ key: share }) })).json()) as { sealed?: boolean };
            unsealed = answer.sealed === false;
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
  })();
  rows.push(await cycles('floor (3 × PUT sys/unseal on sight)', '-', FLOOR_CYCLES));
  floorOn = false;

  const keeperArgs = RUNTIME === 'swc' ? ['--require', '@swc-node/register', join(root, 'apps/unseal-keeper/src/main.ts')] : [await bundleApp('unseal-keeper')];
  const startKeeper = async (pollMs: number): Promise<Keeper> => {
    const port = await freePort();
    const tracked = spawnTracked(process.execPath, [...NODE_FLAGS, ...keeperArgs], {
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      UNSEAL_KEEPER_HOST: '127.0.0.1',
      UNSEAL_KEEPER_PORT: String(port),
      // Info logs only state changes (nothing per poll): the detection times come from them.
      UNSEAL_KEEPER_LOG_LEVEL: 'info',
      UNSEAL_KEEPER_KAFKA_BROKERS: kafka.brokers.join(','),
      UNSEAL_KEEPER_VAULT_ADDRESSES: vault.address,
      UNSEAL_KEEPER_CLUSTER_NAME: 'bench',
      UNSEAL_KEEPER_KMS_PROVIDER: 'local-key-file',
      UNSEAL_KEEPER_LOCAL_KEY_FILE: join(dir, 'kms.key'),
      UNSEAL_KEEPER_KEY_STORE_FILE: join(dir, 'keys.json'),
      UNSEAL_KEEPER_POLL_INTERVAL_MS: String(pollMs),
    }, 'inherit', 'pipe');
    const keeper: Keeper = Object.assign(tracked, { sealedAt: [], unsealed: [] });
    tracked.child.once('exit', (code, signal) => {
      if (!tracked.stopping) process.stderr.write(`a keeper (${pollMs} ms poll) exited by itself (${signal ?? code})\n`);
    });
    // The log's `time` is ISO with milliseconds; the monitor's clock is performance.now().
    createInterface({ input: tracked.child.stdout! }).on('line', (line) => {
      if (line.includes('"level":"fatal"') || line.includes('"level":"error"')) process.stderr.write(`keeper (${pollMs} ms poll): ${line.slice(0, 500)}\n`);
      const sealedLine = line.includes('"msg":"node is sealed"');
      if (!sealedLine && !line.includes('"msg":"node unsealed"')) return;
      const entry = JSON.parse(line) as { time: string; durationMs?: number };
      const at = Date.parse(entry.time) - performance.timeOrigin;
      if (sealedLine) keeper.sealedAt.push(at);
      else keeper.unsealed.push({ at, durationMs: entry.durationMs ?? Number.NaN });
    });
    await waitFor('keeper ready', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), { timeoutMs: 60_000 });
    return keeper;
  };
  const keeperCycles = async (label: string, period: string, pollMs: number, count: number): Promise<Row> => {
    const keeper = await startKeeper(pollMs);
    try {
      return await cycles(`opzero unseal-keeper (${label}, ${RUNTIME})`, period, count, keeper);
    } finally {
      await keeper.stop();
    }
  };
  const ours = await keeperCycles('default 500 ms poll', '500 ms', 500, CYCLES);
  rows.push(ours);
  await floor; // it noticed the first sealing after it was switched off, and ended
  rows.push(await keeperCycles('1 s poll', '1 s', 1_000, SAME_CYCLES));
  rows.push(await keeperCycles('5 s poll', '5 s', 5_000, SAME_CYCLES));

  const bankVaults = existsSync(BANK_VAULTS) ? BANK_VAULTS : undefined;
  let bankVaultsRuns = 0;
  const startBankVaults = (period: string) => {
    // Its log goes to a file beside the keys: a Bank-Vaults that stops is explained there.
    const log = openSync(join(dir, `bank-vaults-${period}-${++bankVaultsRuns}.log`), 'w');
    const tracked = spawnTracked(bankVaults!, ['unseal', '--mode', 'file', '--file-path', join(dir, 'bv'), '--secret-shares', '5', '--secret-threshold', '3', '--vault-addr', vault.address], {
      BANK_VAULTS_UNSEAL_PERIOD: period,
      VAULT_ADDR: vault.address,
    }, log);
    tracked.child.once('exit', (code, signal) => {
      if (!tracked.stopping) process.stderr.write(`Bank-Vaults (${period}) exited by itself (${signal ?? code}); its log: ${join(dir, `bank-vaults-${period}-${bankVaultsRuns}.log`)}\n`);
    });
    return tracked;
  };
  if (bankVaults) {
    for (const [period, count, label] of [['5s', BV_CYCLES, 'default 5 s period'], ['1s', SAME_CYCLES, '1 s period']] as const) {
      const bv = startBankVaults(period);
      rows.push(await cycles(`Bank-Vaults v1.33.1 (${label})`, period === '5s' ? '5 s' : '1 s', count));
      await bv.stop();
    }
  } else {
    console.log(`Bank-Vaults not run: no binary at ${BANK_VAULTS} (tools/bench/unseal/build-bank-vaults.sh builds it)`);
  }

  // The cycles' figures are kept before the idle window, whatever happens in it.
  await writeFile(join(dir, 'rows.json'), JSON.stringify(rows));
  // Idle: the tools side by side against the unsealed node, started together, left to settle
  // (start-up garbage collection), then measured over the same window. Bank-Vaults serves its
  // metrics on a fixed port (:9091), so a second one cannot run beside the first: its 1 s period
  // gets a window of its own right after.
  const idleWindow = async (processes: Record<string, Tracked>, settleMs: number) => {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const usage = await idleUsage(Object.fromEntries(Object.entries(processes).map(([name, tracked]) => [name, tracked.child.pid!])), IDLE_MS);
    await Promise.all(Object.values(processes).map((tracked) => tracked.stop()));
    return usage;
  };
  const idle = await idleWindow(
    { '500 ms': await startKeeper(500), '1 s': await startKeeper(1_000), '5 s': await startKeeper(5_000), ...(bankVaults ? { 'bv 5 s': startBankVaults('5s') } : {}) },
    SETTLE_MS,
  );
  if (bankVaults) Object.assign(idle, await idleWindow({ 'bv 1 s': startBankVaults('1s') }, 5_000));
  for (const row of rows) {
    const key = row.tool.startsWith('Bank-Vaults') ? `bv ${row.period}` : row.tool.startsWith('opzero') ? row.period : '';
    if (idle[key]) row.idle = idle[key];
  }
  await monitor.stop();

  // The raw figures first, so a run's numbers survive whatever happens while printing.
  await writeFile(join(dir, 'rows.json'), JSON.stringify(rows));
  console.log(`raw figures: ${join(dir, 'rows.json')}`);
  printReport(rows, vault.description, { start: loadAtStart, end: loadavg() }, IDLE_MS);
  await Promise.all([vault.stop(), kafka.stop()]);
}

interface Tracked {
  child: ChildProcess;
  stop: () => Promise<void>;
  /** stop() was called: an exit from now on is expected. */
  stopping: boolean;
}

/** A child process whose pid the bench reads /proc for, stopped with SIGTERM. */
/** Every child still running: a failed run kills them, so none outlives it (a Bank-Vaults left holding :9091 breaks the next run). */
const children = new Set<ChildProcess>();

function spawnTracked(command: string, args: string[], env: Record<string, string>, stderr: 'inherit' | 'ignore' | number = 'inherit', stdout: 'ignore' | 'pipe' = 'ignore'): Tracked {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', stdout, stderr] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tracked: Tracked = {
    child,
    stopping: false,
    stop: async () => {
      tracked.stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return tracked;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  },
);
