// The injected agent on the demo's servers: OpenBao's kubernetes auth method reviews the pods'
// ServiceAccount tokens through the demo's API server; the containers the injector put in the
// admitted pods run as local processes (our agent bundle, with the VAULT_CONFIG and args of the
// mutated pod, the pod's paths mapped into a directory standing in for /vault/secrets).
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultInjectorSettings } from '@opzero/annotations';
import { createTokenReviewer, enableKubernetesAuth, injectedAgentProcess, waitFor, type InjectedAgentContainer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { AgentHandle } from '../../libs/agent/test/agent-process-handle';
import { cleanEnv, spawnAndWait } from '../../libs/agent/test/agent-runner';

/** The seed's secret (KV v2 mount `secret`), read by the devwebapp pods' template. */
export const DEVWEBAPP_KEY = 'devwebapp/config';
export const DEVWEBAPP_PATH = `secret/data/${DEVWEBAPP_KEY}`;

/** A pod as the API server returned it after the injector's mutation. */
export interface AdmittedPod {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: {
    serviceAccountName?: string;
    initContainers?: (InjectedAgentContainer & { name: string; image: string })[];
    containers: (InjectedAgentContainer & { name: string; image: string })[];
  };
}

/** A new value for the seed's secret: ID and PASSWORD, as its template reads them. */
export const devwebappSecret = () => ({ ID: 'devwebapp', PASSWORD: randomUUID() });

/**
 * OpenBao for the pods: the devwebapp secret, kubernetes auth (role devweb-app for
 * `serviceAccount` in `namespace`, read on secret/data/devwebapp/*), and a token for the rotation
 * service that may read KV v2 metadata and nothing else. Returns that token.
 */
export async function prepareVaultForPods(vault: VaultServer, kube: KubernetesServer, namespace: string, serviceAccount: string): Promise<string> {
  const root = new VaultClient({ address: vault.address, token: vault.token });
  const version = await root.kvWrite('secret', DEVWEBAPP_KEY, devwebappSecret());
  await root.writePolicy('devwebapp', 'path "secret/data/devwebapp/*" { capabilities = ["read"] }');
  await root.writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }');
  const reviewerJwt = await createTokenReviewer(kube, 'openbao-reviewer');
  await enableKubernetesAuth(vault, kube, reviewerJwt, [{ name: 'devweb-app', serviceAccounts: [serviceAccount], namespaces: [namespace], policies: ['devwebapp'] }]);
  const created = (await root.write<unknown>('auth/token/create', { policies: ['rotation-metadata'], no_default_policy: true, ttl: '1h' })) as unknown as { auth: { client_token: string } };
  console.log(`  OpenBao (dev, for the pods): ${DEVWEBAPP_PATH} version ${version}; kubernetes auth role devweb-app for ${namespace}/${serviceAccount}, TokenReview through ${kube.server}`);
  return created.auth.client_token;
}

/** The injected agent container `name` of `pod` as a local process in `dir`, with a ServiceAccount token the API server minted for the pod. */
async function podProcess(kube: KubernetesServer, pod: AdmittedPod, name: string, dir: string, bundle: string) {
  const container = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
  if (!container) throw new Error(`pod ${pod.metadata.name} has no injected container ${name}`);
  for (const sub of ['sa', 'secrets', 'home']) await mkdir(join(dir, sub), { recursive: true });
  // What the kubelet projects into the pod: a token of its ServiceAccount from the TokenRequest API.
  await writeFile(join(dir, 'sa', 'token'), await kube.mintServiceAccountToken(pod.metadata.namespace, pod.spec.serviceAccountName ?? 'default'), { mode: 0o600 });
  const local = injectedAgentProcess(container, dir, defaultInjectorSettings.agentCommand[1]!, bundle);
  if (local.argv[1] !== bundle || local.argv[2] !== 'agent') throw new Error(`${name} does not run the agent: ${local.argv.join(' ')}`);
  return { ...local, file: join(dir, 'secrets', 'credentials.txt') };
}

/** Runs the pod's vault-agent-init as the kubelet would (to completion) and returns the file it wrote. */
export async function runInitContainer(kube: KubernetesServer, pod: AdmittedPod, dir: string, bundle: string): Promise<string> {
  const init = await podProcess(kube, pod, 'vault-agent-init', dir, bundle);
  const startedAt = Date.now();
  const env = cleanEnv({ ...init.env, VAULT_CONFIG: Buffer.from(JSON.stringify(init.config)).toString('base64') });
  const run = await spawnAndWait(process.execPath, init.argv.slice(1), env, 120_000);
  if (run.exitCode !== 0) throw new Error(`vault-agent-init exited ${run.exitCode}: ${run.log.slice(-2000)}`);
  console.log(`  vault-agent-init (node agent.js ${init.argv.slice(2).join(' ')}, VAULT_CONFIG from the mutated pod) logged in with kubernetes auth and exited 0 after ${Date.now() - startedAt} ms`);
  console.log(`  ${init.file} (standing in for /vault/secrets/credentials.txt):`);
  for (const line of redacted(await readFile(init.file, 'utf8'))) console.log(`    ${line}`);
  return init.file;
}

/** A running vault-agent sidecar of `pod`, with the rotation service's address it was given. */
export interface Sidecar {
  agent: AgentHandle;
  file: string;
  rotationAddress: string;
}

/**
 * Starts the pod's vault-agent sidecar as a process and waits for its first render, after which
 * it posts its watch to the rotation service (a watch that arrives after a rotation is answered
 * at once, so nothing is missed; the agent logs "subscribed" only when a watch is answered).
 */
export async function startSidecar(kube: KubernetesServer, pod: AdmittedPod, dir: string, bundle: string): Promise<Sidecar> {
  const side = await podProcess(kube, pod, 'vault-agent', dir, bundle);
  const rotationAddress = side.env['OPZERO_ROTATION_ADDRESS'] ?? '';
  const agent = new AgentHandle(bundle, side.config, side.env, side.argv.slice(3));
  const died = agent.exited.then((code) => {
    throw new Error(`the sidecar exited ${code}: ${agent.log.slice(-2000)}`);
  });
  died.catch(() => undefined);
  const rendered = () => readFile(side.file, 'utf8').catch(() => undefined);
  try {
    await Promise.race([waitFor('the sidecar to render its file', rendered, { timeoutMs: 120_000, intervalMs: 50 }), died]);
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return { agent, file: side.file, rotationAddress };
}

/** The file's lines with every PASSWORD value replaced by a fingerprint (enough to see it change). */
export function redacted(text: string): string[] {
  const fingerprint = (value: string) => `<redacted, sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 8)}>`;
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/(PASSWORD=")([^"]*)(")/, (_, open: string, value: string, close: string) => `${open}${fingerprint(value)}${close}`));
}
