import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVault, type VaultServer } from '@opzero/testing';
import { AgentHandle, eventually, readText } from './agent-process-handle';
import { buildAgentBundle, cleanEnv, runAgent, spawnAndWait } from './agent-runner';
import { seedAgentVault, type SeededVault } from './seed-agent-vault';

// Sidecar behaviour and faults, with our bundled agent against real OpenBao: files kept fresh,
// token lifecycle (renewal, re-auth after revocation), Vault sealed and unsealed, Vault
// stopped during init, SIGTERM, the listener, and the revoke-token preStop subcommand.
jest.setTimeout(120_000);

let vault: VaultServer;
let seeded: SeededVault;
let work: string;
let bundle: string;
const handles: AgentHandle[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'opzero-agent-sidecar-'));
  [vault, bundle] = await Promise.all([startVault({ mode: 'dev' }), buildAgentBundle(join(work, 'bundle', 'agent.js'))]);
  seeded = await seedAgentVault(vault.address, vault.token);
  await seeded.call('POST', 'auth/approle/role/short', { token_policies: ['agent'], token_ttl: '5s', token_max_ttl: '120s' });
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

afterAll(async () => {
  await vault?.stop();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function runDir(): Promise<string> {
  const dir = join(work, `run-${n++}`);
  for (const sub of ['in', 'home', 'secrets']) await mkdir(join(dir, sub), { recursive: true });
  return dir;
}

function sidecarConfig(dir: string, address: string, method: object, templates: object[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auto_auth: { method, sink: [{ type: 'file', config: { path: join(dir, 'home', '.vault-token') } }] },
    exit_after_auth: false,
    pid_file: join(dir, 'home', '.pid'),
    vault: { address },
    template: templates,
    template_config: { exit_on_retry_failure: true, static_secret_render_interval: '1s' },
    ...extra,
  };
}

async function approleFiles(dir: string, role = 'web'): Promise<object> {
  const roleId = ((await seeded.call('GET', `auth/approle/role/${role}/role-id`)) as { data: { role_id: string } }).data.role_id;
  const secretId = ((await seeded.call('POST', `auth/approle/role/${role}/secret-id`, {})) as { data: { secret_id: string } }).data.secret_id;
  await writeFile(join(dir, 'in', 'role-id'), roleId);
  await writeFile(join(dir, 'in', 'secret-id'), secretId);
  return { type: 'approle', config: { role_id_file_path: join(dir, 'in', 'role-id'), secret_id_file_path: join(dir, 'in', 'secret-id') } };
}

async function tokenValid(address: string, token: string): Promise<boolean> {
  const response = await fetch(`${address}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': token } });
  return response.ok;
}

const putSecret = (path: string, data: Record<string, string>) => seeded.call('POST', `secret/data/${path}`, { data });

describe('our agent in sidecar mode', () => {
  it('keeps a file fresh, and stops cleanly on SIGTERM (exit 0, pid file removed)', async () => {
    const dir = await runDir();
    await putSecret('fresh', { v: 'one' });
    const agent = new AgentHandle(bundle, sidecarConfig(dir, vault.address, await approleFiles(dir), [{ destination: join(dir, 'secrets', 'f'), contents: '{{ with secret "secret/data/fresh" }}{{ .Data.data.v }}{{ end }}' }]));
    handles.push(agent);
    const file = join(dir, 'secrets', 'f');
    await eventually('first render', () => readText(file), (t) => t === 'one', 20_000);
    expect(existsSync(join(dir, 'home', '.pid'))).toBe(true);
    await putSecret('fresh', { v: 'two' });
    await eventually('re-render after the static interval', () => readText(file), (t) => t === 'two', 20_000);
    agent.signal('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(existsSync(join(dir, 'home', '.pid'))).toBe(false);
  });

  it('keeps a 5 s TTL token valid for 30 s by renewing it', async () => {
    const dir = await runDir();
    const agent = new AgentHandle(bundle, sidecarConfig(dir, vault.address, await approleFiles(dir, 'short'), [{ destination: join(dir, 'secrets', 'x'), contents: 'x' }]));
    handles.push(agent);
    const sink = join(dir, 'home', '.vault-token');
    const first = await eventually('token sink', () => readText(sink), (t) => t.length > 0, 20_000);
    const deadline = Date.now() + 30_000;
    const checks: boolean[] = [];
    while (Date.now() < deadline) {
      checks.push(await tokenValid(vault.address, await readText(sink)));
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(checks.every(Boolean)).toBe(true);
    // Renewed, not replaced: the first token is still the one in the sink, and still valid.
    expect(await readText(sink)).toBe(first);
    expect(await tokenValid(vault.address, first)).toBe(true);
  });

  it('re-authenticates when its token is revoked, and renders the new value', async () => {
    const dir = await runDir();
    await putSecret('revoked', { v: 'before' });
    const agent = new AgentHandle(bundle, sidecarConfig(dir, vault.address, await approleFiles(dir), [{ destination: join(dir, 'secrets', 'r'), contents: '{{ with secret "secret/data/revoked" }}{{ .Data.data.v }}{{ end }}' }]));
    handles.push(agent);
    const file = join(dir, 'secrets', 'r');
    await eventually('first render', () => readText(file), (t) => t === 'before', 20_000);
    const sink = join(dir, 'home', '.vault-token');
    const old = await readText(sink);
    await seeded.call('POST', 'auth/token/revoke', { token: old });
    await putSecret('revoked', { v: 'after' });
    await eventually('render with a new token', () => readText(file), (t) => t === 'after', 30_000);
    // The sink is written alongside the render (as bao does), so wait for the new token there too.
    const fresh = await eventually('new token in the sink', () => readText(sink), (t) => t.length > 0 && t !== old, 30_000);
    expect(fresh).not.toBe(old);
    expect(await tokenValid(vault.address, fresh)).toBe(true);
  });

  it('re-issues a PKI certificate before it expires (lease_renewal_threshold)', async () => {
    const dir = await runDir();
    const file = join(dir, 'secrets', 'cert.pem');
    const agent = new AgentHandle(
      bundle,
      sidecarConfig(dir, vault.address, await approleFiles(dir), [{ destination: file, contents: '{{ with pkiCert "pki/issue/example" "common_name=short.example.com" "ttl=6s" }}{{ .Cert }}{{ end }}' }], {
        template_config: { exit_on_retry_failure: true, lease_renewal_threshold: 0.5 },
      }),
    );
    handles.push(agent);
    const first = await eventually('first certificate', () => readText(file), (t) => t.includes('BEGIN CERTIFICATE'), 20_000);
    const second = await eventually('a new certificate', () => readText(file), (t) => t.includes('BEGIN CERTIFICATE') && t !== first, 20_000);
    expect(second).not.toBe(first);
  });

  it('serves the listener: proxy with the auto-auth token, metrics, quit', async () => {
    const dir = await runDir();
    await putSecret('proxied', { v: 'via-agent' });
    const port = 18_000 + Math.floor(Math.random() * 2000);
    const agent = new AgentHandle(
      bundle,
      sidecarConfig(dir, vault.address, await approleFiles(dir), [{ destination: join(dir, 'secrets', 'p'), contents: 'p' }], {
        listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true, agent_api: { enable_quit: true } }],
        cache: { use_auto_auth_token: 'true' },
      }),
    );
    handles.push(agent);
    await eventually('rendered', () => readText(join(dir, 'secrets', 'p')), (t) => t === 'p', 20_000);
    const secret = (await (await fetch(`http://127.0.0.1:${port}/v1/secret/data/proxied`)).json()) as { data: { data: { v: string } } };
    expect(secret.data.data.v).toBe('via-agent');
    const metrics = await fetch(`http://127.0.0.1:${port}/agent/v1/metrics?format=prometheus`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^vault_agent_proxy_request 1$/m);
    expect(text).toMatch(/^vault_agent_auth_success 1$/m);
    expect(text).toMatch(/^vault_agent_template_render 1$/m);
    // Hostile input: an oversized body is refused with 413, unknown paths get 404, and the agent keeps serving.
    const big = await fetch(`http://127.0.0.1:${port}/v1/secret/data/proxied`, { method: 'POST', body: Buffer.alloc(33 * 1024 * 1024, 0x61) }).catch(() => undefined);
    expect(big === undefined || big.status === 413).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/not-vault`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/v1/secret/data/proxied`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/agent/v1/quit`, { method: 'POST' })).status).toBe(200);
    expect(await agent.exited).toBe(0);
  });

  it('revoke-token -self (the preStop hook) revokes the token in ~/.vault-token', async () => {
    const dir = await runDir();
    const token = ((await seeded.call('POST', 'auth/token/create', { policies: ['agent'], ttl: '1h' })) as { auth: { client_token: string } }).auth.client_token;
    await writeFile(join(dir, 'home', '.vault-token'), token);
    const run = await spawnAndWait(process.execPath, [bundle, 'revoke-token', '-sleep=0', `-address=${vault.address}`, '-self'], cleanEnv({ HOME: join(dir, 'home') }), 30_000);
    expect(run.exitCode).toBe(0);
    expect(await tokenValid(vault.address, token)).toBe(false);
  });
});

describe('faults', () => {
  it('Vault stopped during init: both agents retry, then exit non-zero naming the auth step', async () => {
    const gone = await startVault({ mode: 'dev' });
    const address = gone.address;
    await gone.stop();
    const results: Record<string, { exitCode: number; log: string }> = {};
    for (const kind of ['bao', 'opzero'] as const) {
      const dir = await runDir();
      await writeFile(join(dir, 'in', 'token'), 'hvs.whatever');
      const config = {
        ...sidecarConfig(dir, address, { type: 'token_file', exit_on_err: true, config: { token_file_path: join(dir, 'in', 'token') } }, [{ destination: join(dir, 'secrets', 's'), contents: 'x' }]),
        exit_after_auth: true,
      };
      results[kind] = await runAgent(kind, bundle, config, dir, { env: { VAULT_MAX_RETRIES: '2' } });
      expect(existsSync(join(dir, 'secrets', 's'))).toBe(false);
    }
    expect(results['bao']?.exitCode).not.toBe(0);
    expect(results['opzero']?.exitCode).toBe(1);
    const log = results['opzero']?.log ?? '';
    expect(log).toMatch(/auth failed, exiting/);
    expect(log).toMatch(/ECONNREFUSED/);
  });

  it('Vault sealed then unsealed during sidecar mode: recovers and renders the new value without a restart', async () => {
    const sealed = await startVault({ mode: 'sealed', initialize: { shares: 1, threshold: 1 } });
    try {
      const key = sealed.init?.keys[0] as string;
      const unseal = async () => {
        const response = await fetch(`${sealed.address}/v1/sys/unseal`, { method: 'PUT', body: JSON.stringify({ key }) });
        expect(response.ok).toBe(true);
      };
      const root = (method: string, path: string, body?: unknown) => fetch(`${sealed.address}/v1/${path}`, { method, headers: { 'X-Vault-Token': sealed.token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      await unseal();
      await eventually('active', async () => (await root('GET', 'sys/health')).status, (s) => s === 200, 30_000);
      expect((await root('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } })).ok).toBe(true);
      expect((await root('POST', 'secret/data/app', { data: { v: 'before-seal' } })).ok).toBe(true);
      const dir = await runDir();
      await writeFile(join(dir, 'in', 'token'), sealed.token);
      const file = join(dir, 'secrets', 's');
      const agent = new AgentHandle(bundle, sidecarConfig(dir, sealed.address, { type: 'token_file', config: { token_file_path: join(dir, 'in', 'token') } }, [{ destination: file, contents: '{{ with secret "secret/data/app" }}{{ .Data.data.v }}{{ end }}' }]));
      handles.push(agent);
      await eventually('first render', () => readText(file), (t) => t === 'before-seal', 30_000);
      expect((await root('PUT', 'sys/seal')).ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 4000));
      await unseal();
      await eventually('active again', async () => (await root('GET', 'sys/health')).status, (s) => s === 200, 30_000);
      expect((await root('POST', 'secret/data/app', { data: { v: 'after-unseal' } })).ok).toBe(true);
      await eventually('render after unseal', () => readText(file), (t) => t === 'after-unseal', 60_000);
      expect(agent.log).toMatch(/failed to fetch secret/);
    } finally {
      await sealed.stop();
    }
  });
});
