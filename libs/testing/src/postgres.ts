import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './host-process';
import { freePort } from './ports';
import { announce, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface PostgresServer extends RealServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgresql://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  /** Creates an empty database and returns its connection string (one per test file keeps them apart). */
  createDatabase(name: string): Promise<string>;
}

const IMAGE = 'postgres (host process, Debian postgresql package)';
const SERVICE_USER = 'postgres';

/**
 * Where the PostgreSQL server binaries are: OPZERO_POSTGRES_BIN, or the newest
 * /usr/lib/postgresql/<major>/bin (Debian's postgresql package, installed by
 * tools/infra/postgres/install.sh on every machine, Docker or not).
 */
export function postgresBinDir(): string | null {
  const configured = process.env['OPZERO_POSTGRES_BIN'];
  if (configured) return existsSync(join(configured, 'postgres')) ? configured : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  const found = majors.map((major) => join(root, major, 'bin')).find((dir) => existsSync(join(dir, 'postgres')));
  return found ?? null;
}

/**
 * A real PostgreSQL server on 127.0.0.1 and a free port: a throw-away cluster (initdb into a
 * temporary directory, password authentication, fsync off) run as a host process. PostgreSQL
 * refuses to run as root, so under root it runs as the `postgres` user the package created.
 * `restart()` and `kill()` keep the data, so fault tests see the same database come back.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const startedAt = Date.now();
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found (run tools/infra/setup.sh, or set OPZERO_POSTGRES_BIN)');
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'opzero-postgres-'));
  const data = join(dir, 'data');
  const password = randomUUID();
  writeFileSync(join(dir, 'password'), password);
  if (asRoot) chownAll(dir);
  // setpriv execs the binary itself (no intermediate process), so signals reach the postmaster.
  const command = (binary: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid', SERVICE_USER, '--regid', SERVICE_USER, '--clear-groups', join(bin, binary), ...args]] : [join(bin, binary), args];
  const run = (binary: string, args: string[]) => {
    const [file, argv] = command(binary, args);
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  };
  run('initdb', ['-D', data, '-U', SERVICE_USER, '--auth=scram-sha-256', `--pwfile=${join(dir, 'password')}`, '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  let current: HostProcess | undefined;
  const launch = () =>
    waitFor(`PostgreSQL on 127.0.0.1:${port}`, async () => {
      if (!current) {
        const [file, argv] = command('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200']);
        current = startHostProcess('postgres', file, argv, { LC_ALL: 'C.UTF-8' });
        const started = current;
        // After a kill, backends of the old postmaster may still hold its shared memory for a
        // moment and the new one exits at once: forget it, and the next probe starts another.
        void started.exited.then(() => {
          if (current === started) current = undefined;
        });
      }
      return /database system is ready to accept connections/.test(current.tail()) ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
  await launch();
  const version = run('postgres', ['--version']).trim().replace(/^postgres \(PostgreSQL\) /, '');
  const description = `PostgreSQL ${version}`;
  const connectionString = (database: string) => `postgresql://${SERVICE_USER}:${password}@127.0.0.1:${port}/${database}`;
  announce(description, IMAGE, `127.0.0.1:${port}`, startedAt);
  /** Fast shutdown (SIGTERM would wait for every client to disconnect). */
  const stopServer = async () => {
    if (!current) return;
    try {
      run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
    } catch {
      // Already down, or not answering: the SIGTERM/SIGKILL below ends it.
    }
    await current?.stop();
    current = undefined;
  };
  return {
    description,
    image: IMAGE,
    host: '127.0.0.1',
    port,
    user: SERVICE_USER,
    password,
    database: 'postgres',
    connectionString: connectionString('postgres'),
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name "${name}" must be a lower-case identifier`);
      const { Client } = await import('pg');
      const client = new Client({ connectionString: connectionString('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return connectionString(name);
    },
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stopServer();
      await launch();
    },
    async kill() {
      await current?.kill();
      current = undefined;
    },
  };
}

function chownAll(dir: string): void {
  const uid = Number(execFileSync('id', ['-u', SERVICE_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', SERVICE_USER], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  chownSync(join(dir, 'password'), uid, gid);
}
