import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthMethodConfig, SinkConfig } from '../config/agent-config';
import { AgentLogger } from '../log/agent-logger';
import type { VaultClient } from '../vault/vault-client';
import { AutoAuth } from './auto-auth';

// token_file auth: the only Vault call is lookup-self, answered here (a fake of our own client).
const lookupOnly = { call: async () => JSON.stringify({ data: { ttl: 0, renewable: false } }) } as unknown as VaultClient;

describe('AutoAuth token sinks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auto-auth-'));
    await writeFile(join(dir, 'token-in'), 's.from-file\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function autoAuth(sinks: SinkConfig[]): AutoAuth {
    const method: AuthMethodConfig = { type: 'token_file', mountPath: 'auth/token', minBackoffMs: 1000, maxBackoffMs: 1000, exitOnErr: true, settings: { token_file_path: join(dir, 'token-in') } };
    return new AutoAuth(method, sinks, lookupOnly, new AgentLogger('error', 'standard', 'agent', () => undefined));
  }

  it('hands the token to its users before the sink writes finish, then writes every sink with its mode', async () => {
    const first = { path: join(dir, 'a'), mode: 0o600 };
    const sinks = [first, { path: join(dir, 'b'), mode: 0o640 }];
    const auth = autoAuth(sinks);
    const seen: Array<{ token: string; sinkExisted: boolean }> = [];
    auth.onToken((token) => seen.push({ token, sinkExisted: existsSync(first.path) }));
    expect(await auth.ensureToken()).toBe('s.from-file');
    expect(seen).toEqual([{ token: 's.from-file', sinkExisted: false }]);
    await auth.sinksWritten();
    for (const sink of sinks) {
      expect(await readFile(sink.path, 'utf8')).toBe('s.from-file');
      expect((await stat(sink.path)).mode & 0o777).toBe(sink.mode);
    }
    auth.stop();
  });

  it('rejects sinksWritten naming the sink that failed, after the other sinks are written', async () => {
    const good = join(dir, 'good');
    const bad = join(dir, 'missing-dir', 'token');
    const auth = autoAuth([{ path: bad, mode: 0o600 }, { path: good, mode: 0o600 }]);
    await auth.ensureToken();
    await expect(auth.sinksWritten()).rejects.toThrow(`sink ${bad}: ENOENT`);
    expect(await readFile(good, 'utf8')).toBe('s.from-file');
    auth.stop();
  });
});
