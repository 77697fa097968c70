import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { freePort } from './ports';
import { startHostProcess, type HostProcess } from './host-process';
import { announce, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface RedisServer extends RealServer {
  readonly host: string;
  readonly port: number;
  /** The `default` user's password (Redis ACLs are on: clients such as Vault's redis plugin create users). */
  readonly password: string;
}

/**
 * A real Redis server on 127.0.0.1 (Debian's redis-server, installed by tools/infra/setup.sh),
 * in memory. It exists for Vault's database secrets engine (redis plugin), the one dynamic
 * secret a test can lease renewably without a heavier server.
 */
export async function startRedis(): Promise<RedisServer> {
  const startedAt = Date.now();
  const port = await freePort();
  const password = randomUUID();
  let current: HostProcess | undefined;
  const launch = async () => {
    const started = startHostProcess('redis-server', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', password]);
    let exited = false;
    void started.exited.then(() => (exited = true));
    current = started;
    await waitFor(`Redis on 127.0.0.1:${port}`, async () => {
      if (exited) throw new Error(`redis-server exited: ${started.tail()}`);
      return /Ready to accept connections/.test(started.tail()) ? true : undefined;
    }, { timeoutMs: 20_000, intervalMs: 50 });
  };
  await launch();
  const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ?? '?';
  const description = `Redis ${version}`;
  announce(description, 'redis-server (host process)', `127.0.0.1:${port}`, startedAt);
  return {
    description,
    image: 'redis-server (host process)',
    host: '127.0.0.1',
    port,
    password,
    stop: async () => current?.stop(),
    async restart() {
      await current?.stop();
      await launch();
    },
    kill: async () => current?.kill(),
  };
}
