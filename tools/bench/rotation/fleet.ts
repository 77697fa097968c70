import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { baoBinary, cleanEnv } from '../../../libs/agent/test/agent-runner';
import { DISPLAY_NAMES } from './audit-tally';

/** The three ways a sidecar fleet runs. */
export type Way = 'bao agent, 5 s' | 'opzero, 5 s, no service' | 'opzero + service';
export const WAYS: readonly Way[] = ['bao agent, 5 s', 'opzero, 5 s, no service', 'opzero + service'];

/** `--spread`: each path in a folder of its own (the service then lists nothing: one metadata read per path). */
export const SPREAD = process.argv.includes('--spread');
export const keyOf = (i: number): string => (SPREAD ? `bench/f${i}/p${i}` : `bench/p${i}`);
export const pathOf = (i: number): string => `secret/data/${keyOf(i)}`;

/** What a fleet needs from the run. */
export interface FleetContext {
  work: string;
  vaultAddress: string;
  bundle: string;
  serviceAddress: string;
  paths: number;
  /** A pod token with read on the bench paths; each sidecar gets its own, named `<display>-<n>`. */
  podToken: (displayName: string) => Promise<string>;
}

/** N sidecars of one way, each with its own token and directory. */
export interface Fleet {
  way: Way;
  dirs: string[];
  children: ChildProcess[];
  /** Resolves when every sidecar's file `i` holds `value`; with each sidecar's time. */
  whenAll(i: number, value: string, timeoutMs: number): Promise<number[]>;
  stop(): Promise<void>;
}

/**
 * Resolves with the time `file` came to hold `value`: its ctime, which the rename that ends an
 * atomic write sets (ext4), so the figure is the sidecar's and not this process's delay in
 * noticing among N sidecars (an inotify watch on the directory wakes the check; no polling).
 */
export function whenContains(file: string, value: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () =>
      void readFile(file, 'utf8')
        .then(async (text) => {
          if (done || text !== value) return;
          done = true;
          watcher.close();
          clearTimeout(timer);
          resolve(await stat(file).then((info) => info.ctimeMs, () => Date.now()));
        })
        .catch(() => undefined);
    const watcher = watch(dirname(file), check);
    const timer = setTimeout(() => {
      watcher.close();
      if (!done) reject(new Error(`${file} did not change to the new value within ${timeoutMs} ms`));
    }, timeoutMs);
    check();
  });
}

/** CPU time (user + system) a process used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export async function cpuMs(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function rssKiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

function sidecarConfig(dir: string, context: FleetContext, interval: string): object {
  return {
    // A sink as the injector configures one (bao also parses a lone JSON `method` object only beside a sink).
    auto_auth: { method: { type: 'token_file', config: { token_file_path: join(dir, 'token') } }, sink: [{ type: 'file', config: { path: join(dir, 'sink') } }] },
    exit_after_auth: false,
    vault: { address: context.vaultAddress },
    template: Array.from({ length: context.paths }, (_, i) => ({ destination: join(dir, 'secrets', `p${i}`), contents: `{{ with secret "${pathOf(i)}" }}{{ .Data.data.value }}{{ end }}` })),
    template_config: { static_secret_render_interval: interval },
  };
}

/** Starts `count` sidecars of `way` (bao agent, or our bundle with or without OPZERO_ROTATION_ADDRESS). */
export async function startFleet(way: Way, count: number, tag: string, context: FleetContext): Promise<Fleet> {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  for (let n = 0; n < count; n++) {
    const dir = join(context.work, `${tag}-${DISPLAY_NAMES[way]}-${n}`);
    await mkdir(join(dir, 'secrets'), { recursive: true });
    await writeFile(join(dir, 'token'), await context.podToken(`${DISPLAY_NAMES[way]}-${tag}-${n}`));
    dirs.push(dir);
    const config = sidecarConfig(dir, context, way === 'opzero + service' ? '5m' : '5s');
    const child =
      way === 'bao agent, 5 s'
        ? (await writeFile(join(dir, 'agent.json'), JSON.stringify(config)), spawn(baoBinary(), ['agent', `-config=${join(dir, 'agent.json')}`], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] }))
        : spawn(process.execPath, [context.bundle, 'agent'], {
            env: cleanEnv({ VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64'), ...(way === 'opzero + service' ? { OPZERO_ROTATION_ADDRESS: context.serviceAddress } : {}) }),
            stdio: ['ignore', 'ignore', 'pipe'],
          });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    child.once('exit', (code) => code && code !== 0 && console.error(`${way} sidecar ${n} exited ${code}: ${log}`));
    children.push(child);
  }
  return {
    way,
    dirs,
    children,
    whenAll: (i, value, timeoutMs) => Promise.all(dirs.map((dir) => whenContains(join(dir, 'secrets', `p${i}`), value, timeoutMs))),
    async stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)))));
    },
  };
}
