import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cleanEnv } from './agent-runner';

/** Our agent running in the background (sidecar mode), with its log and exit status. */
export class AgentHandle {
  log = '';
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;

  constructor(bundle: string, config: object, env: Record<string, string> = {}, args: string[] = []) {
    this.child = spawn(process.execPath, [bundle, 'agent', ...args], {
      env: cleanEnv({ VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64'), ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Polls until `read()` returns something `accept` likes; returns it, or throws with the last value. */
export async function eventually<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const readText = (path: string) => readFile(path, 'utf8');
