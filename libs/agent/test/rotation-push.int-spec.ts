// The sidecar side of rotation on real Kafka, OpenBao and Kubernetes: our bundled agent
// subscribes to the rotation service (apps/agent-renderer, versions kept in a Secret on the API
// server) and its file follows a KV v2 write long before its 5-minute
// static_secret_render_interval could; with the service down it falls back to its interval
// polling, and it re-subscribes when the service is back.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, defaultTopicSettings, ensureTopics, EventProducer } from '@opzero/bus';
import { exampleEvents, podCreated, secretRotated, Topics } from '@opzero/contracts';
import { freePort, startAgentRenderer, startKafka, startKubernetes, startVault, waitFor, type AppProcess, type KafkaServer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { AgentHandle, eventually, readText } from './agent-process-handle';
import { buildAgentBundle } from './agent-runner';

jest.setTimeout(300_000);

const KEY = 'web/config';
const PATH = `secret/data/${KEY}`;

let kube: KubernetesServer;
let kafkaServer: KafkaServer;
let vault: VaultServer;
let producer: EventProducer;
let work: string;
let bundle: string;
let servicePort: number;
let service: AppProcess | undefined;
let metadataToken: string;
let podToken: string;
const agents: AgentHandle[] = [];

const root = () => new VaultClient({ address: vault.address, token: vault.token });
const createToken = async (policies: string[], noDefault = false) =>
  ((await root().write<unknown>('auth/token/create', { policies, no_default_policy: noDefault, ttl: '1h' })) as unknown as { auth: { client_token: string } }).auth.client_token;

const startService = () =>
  startAgentRenderer(
    servicePort,
    {
      KAFKA_BROKERS: kafkaServer.brokers.join(','),
      VAULT_ADDRESS: vault.address,
      VAULT_TOKEN: metadataToken,
      POLL_MIN_INTERVAL_MS: '250',
      RESTART_ON_ROTATE: 'false',
      POD_NAME: 'renderer-push',
    },
    { KUBECONFIG: kube.kubeconfigFile },
  );

/** Our agent as the injector runs it in a sidecar: token file auth, one KV v2 template, the service's address. */
async function sidecar(name: string, staticInterval: string): Promise<{ agent: AgentHandle; file: string }> {
  const dir = join(work, name);
  await mkdir(join(dir, 'secrets'), { recursive: true });
  await writeFile(join(dir, 'token'), podToken);
  const file = join(dir, 'secrets', 'config');
  const config = {
    auto_auth: { method: { type: 'token_file', config: { token_file_path: join(dir, 'token') } } },
    exit_after_auth: false,
    vault: { address: vault.address },
    template: [{ destination: file, contents: `{{ with secret "${PATH}" }}{{ .Data.data.password }}{{ end }}` }],
    template_config: { static_secret_render_interval: staticInterval },
  };
  const agent = new AgentHandle(bundle, config, { OPZERO_ROTATION_ADDRESS: `http://127.0.0.1:${servicePort}` });
  agents.push(agent);
  return { agent, file };
}

const write = (password: string) => root().kvWrite('secret', KEY, { password });
const subscribedCount = (agent: AgentHandle) => agent.log.split('subscribed to the rotation service').length - 1;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'opzero-rotation-push-'));
  [kube, kafkaServer, vault, bundle, servicePort] = await Promise.all([startKubernetes(), startKafka(), startVault({ mode: 'dev' }), buildAgentBundle(join(work, 'bundle', 'agent.js')), freePort()]);
  const kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'rotation-push-test' });
  producer = new EventProducer(kafka, { contracts: [podCreated] });
  await producer.connect();
  // Retried: a just-started broker may answer the creation's metadata wait with UNKNOWN_TOPIC_OR_PARTITION.
  await waitFor('topics created', () => ensureTopics(kafka, [secretRotated, podCreated], defaultTopicSettings).then(() => true), { timeoutMs: 60_000, intervalMs: 500 });

  await root().writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }');
  metadataToken = await createToken(['rotation-metadata'], true);
  await root().writePolicy('web-read', `path "${PATH}" { capabilities = ["read"] }`);
  podToken = await createToken(['web-read']);
  await write('v1');
  await producer.publish(podCreated, { ...exampleEvents[Topics.podCreated], namespace: 'default', admissionUid: randomUUID(), secrets: [{ name: 'config', path: PATH }] });
  service = await startService();
}, 300_000);

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await service?.kill();
  await producer?.disconnect();
  await Promise.all([kube?.stop(), kafkaServer?.stop(), vault?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

it('re-renders the file as soon as the service pushes a new version (the interval is 5 minutes)', async () => {
  const { agent, file } = await sidecar('pushed', '5m');
  await eventually('first render', () => readText(file), (text) => text === 'v1', 60_000);
  await waitFor('subscribed', async () => (subscribedCount(agent) > 0 ? true : undefined), { timeoutMs: 60_000 });

  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const value = `rotated-${i}-${randomUUID()}`;
    const writtenAt = Date.now();
    await write(value);
    // Far below the 5-minute interval: only the push can change the file in time.
    await eventually(`file after rotation ${i}`, () => readText(file), (text) => text === value, 60_000);
    latencies.push(Date.now() - writtenAt);
  }
  latencies.sort((a, b) => a - b);
  process.stdout.write(`write → sidecar file over ${latencies.length} rotations: p50 ${latencies[10]} ms, max ${latencies.at(-1)} ms\n`);
  expect(agent.log).not.toContain(podToken);
  expect(service!.output()).not.toContain(podToken);
});

it('falls back to interval polling while the service is down, and re-subscribes when it is back', async () => {
  const pushed = agents[0]!;
  const pushedFile = join(work, 'pushed', 'secrets', 'config');
  const polling = await sidecar('polling', '2s');
  await eventually('polling sidecar rendered', () => readText(polling.file), (text) => text.startsWith('rotated-'), 60_000);
  await waitFor('polling sidecar subscribed', async () => (subscribedCount(polling.agent) > 0 ? true : undefined), { timeoutMs: 60_000 });

  await service!.kill();
  const whileDown = `while-down-${randomUUID()}`;
  await write(whileDown);
  await waitFor('unavailable logged', async () => (polling.agent.log.includes('rotation service unavailable') ? true : undefined), { timeoutMs: 120_000 });
  // The 2 s interval polling keeps the second sidecar current without the service.
  await eventually('polling sidecar caught up without the service', () => readText(polling.file), (text) => text === whileDown, 60_000);

  // Back on the same port: the service finds the version written while it was down (versions in
  // the Secret), the sidecar re-subscribes, and the 5-minute sidecar learns it by push.
  service = await startService();
  await eventually('pushed sidecar caught up after the service returned', () => readText(pushedFile), (text) => text === whileDown, 120_000);
  await waitFor('re-subscribed', async () => (subscribedCount(pushed) >= 2 ? true : undefined), { timeoutMs: 120_000 });
});
