import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@opzero/testing';

const root = join(__dirname, '../..');

/** One opzero app started as its own process from source, as `npx nx serve <app>` would. */
export class AppProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  readonly logLines: string[] = [];

  constructor(
    readonly app: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['--require', '@swc-node/register', join(root, 'apps', this.app, 'src/main.ts')], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => this.logLines.push(...chunk.toString().trim().split('\n')));
    }
    this.exited = new Promise((resolve) => this.child?.on('exit', (code) => resolve(code)));
    await waitFor(`${this.app} ready`, async () => ((await fetch(`${this.baseUrl}/readyz`)).ok ? true : undefined), {
      timeoutMs: 60_000,
    });
  }

  /** SIGTERM and wait: the app drains and exits 0. */
  async stop(): Promise<number | null> {
    this.child?.kill('SIGTERM');
    return this.exited;
  }
}
