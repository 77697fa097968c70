import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CONFIG, runCli } from './cli';
import { AgentLogger } from './log/agent-logger';

const never = new Promise<void>(() => undefined);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

function captureStderr(): { text: () => string; restore: () => void } {
  let out = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

describe('runCli', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opzero-agent-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (extra: Record<string, unknown>) => ({
    auto_auth: { method: { type: 'token_file', config: { token_file_path: join(dir, 'token') } }, sink: [{ type: 'file', config: { path: join(dir, 'sink') } }] },
    exit_after_auth: true,
    pid_file: join(dir, 'pid'),
    vault: { address: 'http://127.0.0.1:1' },
    template: [{ destination: join(dir, 'out'), contents: 'x' }],
    ...extra,
  });

  it.each([
    ['an unsupported auth method', 'auto_auth.method.type', { auto_auth: { method: { type: 'aws', config: {} }, sink: [] } }],
    ['the persistent cache', 'cache.persist', { cache: { persist: { type: 'kubernetes', path: '/vault/agent-cache' } } }],
    ['an unknown field', 'surprise', { surprise: true }],
    ['a template that does not parse', 'template[0]', { template: [{ destination: '/nonexistent-opzero/out', contents: '{{ if }}' }] }],
  ])('exits 78 on %s, naming %s, with nothing written', async (_what, field, extra) => {
    const err = captureStderr();
    try {
      const code = await runCli(['agent'], { VAULT_CONFIG: b64(config(extra)) }, never);
      expect(code).toBe(EXIT_CONFIG);
      expect(err.text()).toContain(`${field}:`);
    } finally {
      err.restore();
    }
    expect([existsSync(join(dir, 'out')), existsSync(join(dir, 'sink')), existsSync(join(dir, 'pid'))]).toEqual([false, false, false]);
  });

  it.each([
    [['agent', '-bogus'], '-bogus: unknown flag'],
    [['agent', '-log-level=loud'], 'is not one of trace, debug, info, warn, error'],
    [['serve'], 'is not agent or revoke-token'],
    [['revoke-token', '-address=http://127.0.0.1:1'], '-self: revoke-token only revokes its own token'],
  ])('refuses %j by name', async (argv, message) => {
    const err = captureStderr();
    try {
      expect(await runCli(argv, { VAULT_CONFIG: b64(config({})) }, never)).toBe(EXIT_CONFIG);
      expect(err.text()).toContain(message);
    } finally {
      err.restore();
    }
  });

  it('VAULT_LOG_FORMAT=json gives one JSON object per line', async () => {
    const err = captureStderr();
    try {
      await runCli(['agent'], { VAULT_CONFIG: b64(config({ surprise: 1 })), VAULT_LOG_FORMAT: 'json' }, never);
      const line = JSON.parse(err.text().trim().split('\n')[0] as string) as Record<string, string>;
      expect(line).toMatchObject({ '@level': 'error', '@module': 'agent', '@message': 'invalid configuration' });
    } finally {
      err.restore();
    }
  });
});

describe('AgentLogger', () => {
  it('filters by level and prints hclog-style standard lines', () => {
    const lines: string[] = [];
    const log = new AgentLogger('warn', 'standard', 'agent', (l) => lines.push(l));
    log.info('hidden');
    log.warn('renewal failed', { error: 'HTTP 503', path: 'a b' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[WARN\]  agent: renewal failed: error="HTTP 503" path="a b"\n$/);
  });
});
