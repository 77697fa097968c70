import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultInjectorSettings, mutateReview, type AdmissionReview, type Container, type Pod } from '@opzero/annotations';
import { injectedAgentProcess, startVault, type VaultServer } from '@opzero/testing';
import { AgentHandle, eventually, readText } from './agent-process-handle';
import { buildAgentBundle, cleanEnv, spawnAndWait } from './agent-runner';
import { seedAgentVault, type SeededVault } from './seed-agent-vault';

// The "done when": the seed's devwebapp pod goes through the injector's mutation; its
// init container and sidecar are then run as processes with exactly the command, args and
// env the patch gives them (paths under /vault/secrets and /home/vault, and the
// ServiceAccount token, mapped into a temporary directory). The kubernetes auth method posts
// to auth/kubernetes/login on real OpenBao, where a jwt mount verifies the token (no API
// server here); the init container writes credentials.txt and the sidecar keeps it fresh.
jest.setTimeout(120_000);

let vault: VaultServer;
let seeded: SeededVault;
let work: string;
let bundle: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'opzero-agent-seed-'));
  [vault, bundle] = await Promise.all([startVault({ mode: 'dev' }), buildAgentBundle(join(work, 'bundle', 'agent.js'))]);
  seeded = await seedAgentVault(vault.address, vault.token);
});

afterAll(async () => {
  await vault?.stop();
  await rm(work, { recursive: true, force: true });
});

function devwebappReview(): AdmissionReview {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'devwebapp',
      namespace: 'default',
      annotations: {
        'vault.hashicorp.com/agent-inject': 'true',
        'vault.hashicorp.com/role': 'devweb-app',
        'vault.hashicorp.com/agent-inject-secret-credentials.txt': 'secret/data/devwebapp/config',
        'vault.hashicorp.com/template-static-secret-render-interval': '1s',
      },
    },
    spec: {
      serviceAccountName: 'internal-app',
      containers: [{ name: 'devwebapp', image: 'jweissig/app:0.0.1', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
    },
  } as Pod;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'seed-devwebapp', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'default', operation: 'CREATE', object: pod },
  } as AdmissionReview;
}

describe('the seed devwebapp pod, injected, run as processes', () => {
  it('init container writes /vault/secrets/credentials.txt; the sidecar keeps it fresh and stops on SIGTERM', async () => {
    const settings = { ...defaultInjectorSettings, vaultAddress: vault.address };
    const { response } = mutateReview(devwebappReview(), settings).response as { response: { allowed: boolean; patch?: string } };
    expect({ allowed: response.allowed, status: (response as { status?: unknown }).status }).toEqual({ allowed: true, status: undefined });
    const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as Array<{ path: string; value: unknown }>;
    const containers = patch.flatMap((op) => (Array.isArray(op.value) ? op.value : [op.value])).filter((c): c is Container => typeof c === 'object' && c !== null && 'name' in c && 'image' in c);
    const init = containers.find((c) => c.name === 'vault-agent-init');
    const sidecar = containers.find((c) => c.name === 'vault-agent');
    expect(init?.command).toEqual(['node', '/opt/opzero/agent.js']);
    expect(init?.args).toEqual(['agent']);

    for (const sub of ['secrets', 'home', 'sa']) await mkdir(join(work, sub), { recursive: true });
    await writeFile(join(work, 'sa', 'token'), seeded.signJwt());

    const initProcess = injectedAgentProcess(init as Container, work, defaultInjectorSettings.agentCommand[1]!, bundle);
    expect(initProcess.argv).toEqual(['node', bundle, 'agent']);
    const run = await spawnAndWait(process.execPath, initProcess.argv.slice(1), cleanEnv({ ...initProcess.env, VAULT_CONFIG: Buffer.from(JSON.stringify(initProcess.config)).toString('base64') }), 60_000);
    expect({ exitCode: run.exitCode, log: run.exitCode === 0 ? '' : run.log }).toEqual({ exitCode: 0, log: '' });
    const file = join(work, 'secrets', 'credentials.txt');
    expect((await readText(file)).split('\n')[0]).toBe('data: map[password:salsa username:giraffe]');
    expect(existsSync(join(work, 'home', '.vault-token'))).toBe(true);

    const side = injectedAgentProcess(sidecar as Container, work, defaultInjectorSettings.agentCommand[1]!, bundle);
    const agent = new AgentHandle(bundle, side.config, side.env, side.argv.slice(3));
    try {
      await seeded.call('POST', 'secret/data/devwebapp/config', { data: { username: 'giraffe', password: 'rotated-salsa' } });
      await eventually('sidecar renders the new password', () => readText(file), (t) => t.startsWith('data: map[password:rotated-salsa username:giraffe]'), 30_000);
      agent.signal('SIGTERM');
      expect(await agent.exited).toBe(0);
    } finally {
      await agent.stop();
    }
  });
});
