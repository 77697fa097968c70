import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * @kubernetes/client-node is ESM-only, which Jest's module loader cannot load, while plain
 * Node 20.19+ can. A KubeBridge runs a script in a child Node process that serves named
 * operations over client-node (see `serveKubeBridge`), one JSON line per call, so Jest tests
 * drive the real client library against the real API server.
 */
export interface KubeBridge {
  /** Runs operation `op` in the child and resolves with its JSON result. */
  call<T = unknown>(op: string, args?: unknown): Promise<T>;
  /** Ends the child (its stdin closes, it exits). */
  close(): Promise<void>;
}

/** The API server's refusal as the bridge reports it: the HTTP status and the Status message. */
export class KubeBridgeError extends Error {
  constructor(
    readonly op: string,
    message: string,
    readonly code: number | undefined,
  ) {
    super(`${op}: ${code === undefined ? '' : `HTTP ${code}: `}${message}`);
    this.name = 'KubeBridgeError';
  }
}

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: number };
}

const repositoryRoot = join(__dirname, '../../..');

/** Starts `script` (a .ts path) with `args`; it must call `serveKubeBridge`. */
export function startKubeBridge(script: string, args: string[], env: Record<string, string> = {}): KubeBridge {
  const child = spawn(process.execPath, ['--require', '@swc-node/register', script, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_096)));
  const pending = new Map<number, { op: string; resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let running = true;
  // A write after the child died must reject that call, not crash the test process with EPIPE.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    running = false;
    for (const { op, reject } of pending.values()) reject(new Error(`${op}: the bridge process exited: ${stderr}`));
    pending.clear();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      return; // not a reply (a library printing to stdout)
    }
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error) waiter.reject(new KubeBridgeError(waiter.op, reply.error.message, reply.error.code));
    else waiter.resolve(reply.result);
  });
  let nextId = 0;
  return {
    call<T>(op: string, callArgs?: unknown): Promise<T> {
      const id = ++nextId;
      if (!running) return Promise.reject(new Error(`${op}: the bridge process has exited: ${stderr}`));
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { op, resolve: resolve as (value: unknown) => void, reject });
        child.stdin!.write(`${JSON.stringify({ id, op, args: callArgs ?? null })}\n`);
      });
    },
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
