import { spawn, type ChildProcess } from 'node:child_process';

/** A server binary running as a child process of the test (SIGTERM on stop, SIGKILL on kill). */
export interface HostProcess {
  readonly name: string;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(): string;
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL (a crash). */
  kill(): Promise<void>;
}

const TAIL_BYTES = 8_192;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts `binary args`; every process still running when the test process exits is killed. */
export function startHostProcess(name: string, binary: string, args: string[], env: Record<string, string> = {}): HostProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
  }
  const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      running.delete(child);
      resolve();
    };
    child.once('exit', done);
    child.once('error', (error) => {
      output += `\n${error.message}`;
      done();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && running.has(child);
  return {
    name,
    tail: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}
