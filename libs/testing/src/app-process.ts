import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

/** An opzero app running as its own process from source, as `npx nx serve <app>` runs it. */
export interface AppProcess {
  readonly app: string;
  /** The process id (for /proc figures: RSS, open file descriptors). */
  readonly pid: number | undefined;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit status (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then waits: a graceful app drains and exits 0. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash), then waits. */
  kill(): Promise<number | null>;
}

const repositoryRoot = join(__dirname, '../../..');

/**
 * Starts `apps/<app>/src/main.ts` with the given environment added to this process's; with
 * `bundle` (a built main.js, tools/build/bundle-app.ts) runs that under plain node instead.
 */
export function spawnApp(app: string, env: Record<string, string>, options: { bundle?: string } = {}): AppProcess {
  const args = options.bundle ? [options.bundle] : ['--require', '@swc-node/register', join(repositoryRoot, 'apps', app, 'src/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: options.bundle ? dirname(options.bundle) : repositoryRoot,
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return { app, pid: child.pid, output: () => output, exited, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}
