// Unseal latency, idle CPU and memory: opzero's unseal-keeper beside Bank-Vaults v1.33.1 and
// the floor (the unseal API calls alone), against one real OpenBao (sealed mode, raft), in one
// run. Each cycle seals the node through the API; "unseal" is sealed first visible in
// sys/seal-status → unsealed first visible there, and opzero's "detection" is sealed first
// visible → the keeper's own `node is sealed` (its log line's time). The keeper runs at its
// default 500 ms poll and at 100 ms (the poll the 100 ms goal needs). Knobs: BENCH_CYCLES (50), BENCH_BV_CYCLES
// (20), BENCH_FLOOR_CYCLES (20), BENCH_IDLE_MS (60000), BANK_VAULTS_BIN, BENCH_UNSEAL_RUNTIME
// (`bundle`, default: the app bundled and run by plain node; `swc`: through @swc-node/register
// as the image runs it today, which alone holds about 90 MB per process).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { freePort, opzeroCache, startKafka, startVault, waitFor } from '@opzero/testing';
import { FileKeyStore, importUnsealKeys } from '@opzero/unseal';
import { bundleApp } from '../injector/bundle';
import { mib, percentile, printTable } from '../stats';
import { idleUsage } from './process-usage';
import { SealMonitor } from './seal-monitor';

const CYCLES = Number(process.env['BENCH_CYCLES'] ?? 50);
const BV_CYCLES = Number(process.env['BENCH_BV_CYCLES'] ?? 20);
const FLOOR_CYCLES = Number(process.env['BENCH_FLOOR_CYCLES'] ?? 20);
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 60_000);
const BANK_VAULTS = process.env['BANK_VAULTS_BIN'] ?? join(opzeroCache(), 'bank-vaults', 'bin', 'bank-vaults');
const RUNTIME = process.env['BENCH_UNSEAL_RUNTIME'] ?? 'bundle';
const root = join(__dirname, '../../..');

interface Row {
  tool: string;
  unseal: number[];
  serverSeal: number[];
  /** Sealed first visible → the keeper's detection (opzero rows only). */
  detection?: number[];
  idle?: { cpuPercent: number; rss: number };
}

/** A keeper process and the times (performance.now() scale) at which it logged a node as sealed. */
interface Keeper extends Tracked {
  sealedAt: number[];
}

async function main(): Promise<void> {
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
  const cycles = async (tool: string, count: number, keeper?: Keeper): Promise<Row> => {
    const row: Row = { tool, unseal: [], serverSeal: [], ...(keeper ? { detection: [] } : {}) };
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
      for (const share of init.keys.slice(0, 3)) {
        await fetch(`${vault.address}/v1/sys/unseal`, { method: 'PUT', body: JSON.stringify({ key: share }) });
      }
    }
  })();
  rows.push(await cycles('floor (3 × PUT sys/unseal on sight)', FLOOR_CYCLES));
  floorOn = false;

  const keeperArgs = RUNTIME === 'swc' ? ['--require', '@swc-node/register', join(root, 'apps/unseal-keeper/src/main.ts')] : [await bundleApp('unseal-keeper')];
  const startKeeper = async (env: Record<string, string> = {}): Promise<Keeper> => {
    const port = await freePort();
    const tracked = spawnTracked(process.execPath, keeperArgs, {
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
      ...env,
    }, 'inherit', 'pipe');
    const keeper: Keeper = { ...tracked, sealedAt: [] };
    // The log's `time` is ISO with milliseconds; the monitor's clock is performance.now().
    createInterface({ input: tracked.child.stdout! }).on('line', (line) => {
      if (!line.includes('"msg":"node is sealed"')) return;
      keeper.sealedAt.push(Date.parse((JSON.parse(line) as { time: string }).time) - performance.timeOrigin);
    });
    await waitFor('keeper ready', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), { timeoutMs: 60_000 });
    return keeper;
  };
  const fast = await startKeeper({ UNSEAL_KEEPER_POLL_INTERVAL_MS: '100' });
  const oursFast = await cycles(`opzero unseal-keeper (100 ms poll, ${RUNTIME})`, CYCLES, fast);
  rows.push(oursFast);
  await floor; // it noticed the first sealing after it was switched off, and ended
  await fast.stop();
  const keeper = await startKeeper();
  const ours = await cycles(`opzero unseal-keeper (default 500 ms poll, ${RUNTIME})`, CYCLES, keeper);
  rows.push(ours);

  const bankVaults = existsSync(BANK_VAULTS) ? BANK_VAULTS : undefined;
  const startBankVaults = (period: string) =>
    spawnTracked(bankVaults!, ['unseal', '--mode', 'file', '--file-path', join(dir, 'bv'), '--secret-shares', '5', '--secret-threshold', '3', '--vault-addr', vault.address], {
      BANK_VAULTS_UNSEAL_PERIOD: period,
      VAULT_ADDR: vault.address,
    }, 'ignore');
  // Idle: the keepers side by side against the unsealed node, measured over the same window;
  // a second opzero keeper polls at Bank-Vaults' default 5 s period to show what polling costs.
  const bvIdle = bankVaults ? startBankVaults('5s') : undefined;
  const slow = await startKeeper({ UNSEAL_KEEPER_POLL_INTERVAL_MS: '5000' });
  const fastIdle = await startKeeper({ UNSEAL_KEEPER_POLL_INTERVAL_MS: '100' });
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idle = await idleUsage(
    { opzero: keeper.child.pid!, fast: fastIdle.child.pid!, slow: slow.child.pid!, ...(bvIdle ? { bankVaults: bvIdle.child.pid! } : {}) },
    IDLE_MS,
  );
  ours.idle = idle['opzero'];
  oursFast.idle = idle['fast'];
  rows.push({ tool: `opzero unseal-keeper, 5 s poll (idle only, ${RUNTIME})`, unseal: [], serverSeal: [], ...(idle['slow'] ? { idle: idle['slow'] } : {}) });
  await Promise.all([keeper.stop(), slow.stop(), fastIdle.stop()]);
  if (bankVaults && bvIdle) {
    const at5 = await cycles('Bank-Vaults v1.33.1 (default 5 s period)', BV_CYCLES);
    at5.idle = idle['bankVaults'];
    rows.push(at5);
    await bvIdle.stop();
    const bv1 = startBankVaults('1s');
    rows.push(await cycles('Bank-Vaults v1.33.1 (1 s period)', BV_CYCLES));
    await bv1.stop();
  } else {
    console.log(`Bank-Vaults not run: no binary at ${BANK_VAULTS} (tools/bench/unseal/build-bank-vaults.sh builds it)`);
  }
  await monitor.stop();

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`\nOpenBao ${vault.description}; sealed-visible → unsealed-visible in sys/seal-status, per seal through the API`);
  printTable(
    ['tool', 'cycles', 'p50', 'p90', 'p99', 'max', 'detection p50 / p99 / max', 'server: seal call → sealed visible p50 / max', 'idle CPU (60 s)', 'idle RSS'],
    rows.map((row) => [
      row.tool,
      String(row.unseal.length),
      ...(row.unseal.length === 0
        ? ['-', '-', '-', '-', '-', '-']
        : [
            ms(percentile(row.unseal, 50)),
            ms(percentile(row.unseal, 90)),
            ms(percentile(row.unseal, 99)),
            ms(Math.max(...row.unseal)),
            row.detection ? `${ms(percentile(row.detection, 50))} / ${ms(percentile(row.detection, 99))} / ${ms(Math.max(...row.detection))}` : '-',
            `${ms(percentile(row.serverSeal, 50))} / ${ms(Math.max(...row.serverSeal))}`,
          ]),
      row.idle ? `${row.idle.cpuPercent.toFixed(2)} %` : '-',
      row.idle ? mib(row.idle.rss) : '-',
    ]),
  );
  const floorRow = rows[0]!;
  for (const row of [oursFast, ours]) {
    const detection = percentile(row.detection ?? [], 99);
    console.log(
      `\n${row.tool}: detection p99 ${ms(detection)} after sealed-visible (goal ≤ 100 ms: ${detection <= 100 ? 'met' : 'NOT met'}); ` +
        `unseal p99 − floor p99 ${ms(percentile(row.unseal, 99) - percentile(floorRow.unseal, 99))}`,
    );
  }
  const bv = rows.find((row) => row.tool.startsWith('Bank-Vaults') && row.tool.includes('5 s'));
  for (const row of [ours, oursFast]) {
    if (!bv?.idle || !row.idle) continue;
    console.log(
      `ratios ${row.tool} / Bank-Vaults (5 s): p50 ${(percentile(row.unseal, 50) / percentile(bv.unseal, 50)).toFixed(2)}×, ` +
        `p99 ${(percentile(row.unseal, 99) / percentile(bv.unseal, 99)).toFixed(2)}×, idle CPU ${(row.idle.cpuPercent / Math.max(bv.idle.cpuPercent, 0.001)).toFixed(2)}×, RSS ${(row.idle.rss / bv.idle.rss).toFixed(2)}×`,
    );
  }
  await Promise.all([vault.stop(), kafka.stop()]);
}

interface Tracked {
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** A child process whose pid the bench reads /proc for, stopped with SIGTERM. */
function spawnTracked(command: string, args: string[], env: Record<string, string>, stderr: 'inherit' | 'ignore' = 'inherit', stdout: 'ignore' | 'pipe' = 'ignore'): Tracked {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', stdout, stderr] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
