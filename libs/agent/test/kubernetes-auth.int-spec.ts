import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTemplate } from '@opzero/template';
import { createTokenReviewer, enableKubernetesAuth, startKubernetes, startVault, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { buildAgentBundle, filesUnder, runAgent, type AgentKind } from './agent-runner';

// The kubernetes auth method against a real API server: OpenBao's kubernetes auth reviews the
// ServiceAccount token with TokenReview; `bao agent` and ours run the seed pod's init config
// with a token minted by the TokenRequest API, and must write the same files with the same outcome.
jest.setTimeout(180_000);

let kube: KubernetesServer;
let vault: VaultServer;
let work: string;
let bundle: string;

async function bao(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${vault.address}/v1/${path}`, { method, headers: { 'X-Vault-Token': vault.token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'opzero-agent-kube-'));
  [kube, vault, bundle] = await Promise.all([startKubernetes(), startVault({ mode: 'dev' }), buildAgentBundle(join(work, 'bundle', 'agent.js'))]);
  const reviewerJwt = await createTokenReviewer(kube, 'openbao-reviewer', ['internal-app', 'other-app']);
  await bao('PUT', 'sys/policies/acl/devwebapp', { policy: 'path "secret/data/devwebapp/*" { capabilities = ["read"] }' });
  await bao('POST', 'secret/data/devwebapp/config', { data: { username: 'giraffe', password: 'salsa' } });
  await enableKubernetesAuth(vault, kube, reviewerJwt, [{ name: 'devweb-app', serviceAccounts: ['internal-app'], namespaces: ['default'], policies: ['devwebapp'] }]);
});

afterAll(async () => {
  await Promise.all([vault?.stop(), kube?.stop()]);
  await rm(work, { recursive: true, force: true });
});

async function run(kind: AgentKind, serviceAccountName: string): Promise<{ exitCode: number; files: Record<string, { content: string; mode: string }> }> {
  const dir = join(work, `${serviceAccountName}-${kind}`);
  for (const sub of ['sa', 'home', 'secrets']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, 'sa', 'token'), await kube.mintServiceAccountToken('default', serviceAccountName));
  const config = {
    auto_auth: {
      method: { type: 'kubernetes', mount_path: 'auth/kubernetes', exit_on_err: true, config: { role: 'devweb-app', token_path: join(dir, 'sa', 'token') } },
      sink: [{ type: 'file', config: { path: join(dir, 'home', '.vault-token') } }],
    },
    exit_after_auth: true,
    pid_file: join(dir, 'home', '.pid'),
    vault: { address: vault.address },
    template: [{ destination: join(dir, 'secrets', 'credentials.txt'), contents: defaultTemplate('secret/data/devwebapp/config'), left_delimiter: '{{', right_delimiter: '}}' }],
    template_config: { exit_on_retry_failure: true },
  };
  const result = await runAgent(kind, bundle, config, dir);
  const files: Record<string, { content: string; mode: string }> = {};
  for (const [rel, file] of [...(await filesUnder(dir)).entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // The minted ServiceAccount token and the Vault token differ per run; their presence and mode do not.
    files[rel] = rel === 'sa/token' || rel === 'home/.vault-token' ? { content: '<token>', mode: file.mode } : file;
  }
  return { exitCode: result.exitCode, files };
}

describe('kubernetes auth on a real API server, bao agent vs ours', () => {
  it('the allowed ServiceAccount renders credentials.txt with both agents', async () => {
    const [theirs, ours] = [await run('bao', 'internal-app'), await run('opzero', 'internal-app')];
    expect(theirs.exitCode).toBe(0);
    expect(ours.exitCode).toBe(0);
    expect(ours.files['secrets/credentials.txt']?.content.split('\n')[0]).toBe('data: map[password:salsa username:giraffe]');
    expect(ours.files).toEqual(theirs.files);
  });

  it('another ServiceAccount is refused by both (exit_on_err), nothing rendered', async () => {
    const [theirs, ours] = [await run('bao', 'other-app'), await run('opzero', 'other-app')];
    expect(theirs.exitCode).not.toBe(0);
    expect(ours.exitCode).toBe(1);
    expect(Object.keys(ours.files)).toEqual(['sa/token']);
    expect(ours.files).toEqual(theirs.files);
  });
});
