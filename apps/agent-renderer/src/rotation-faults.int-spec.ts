// Fault drills for the rotation service on real Kafka, OpenBao (production-style, sealed and
// unsealed for real) and Kubernetes: Kafka restarted while versions are written, the API server
// restarted (state Secret and pod watch), OpenBao sealed right after a write and unsealed. After
// every drill every version written is covered by exactly one event, in order, none repeated.
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { createKafka, defaultTopicSettings, ensureTopics, EventProducer } from '@opzero/bus';
import { exampleEvents, podCreated, sealed, secretRotated, Topics, unsealed, type SecretRotated } from '@opzero/contracts';
import { freePort, startAgentRenderer, startKafka, startKubernetes, startVault, subscribeFromBeginning, waitFor, type AppProcess, type KafkaServer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';

jest.setTimeout(600_000);

const KEY = 'faults/config';
const PATH = `secret/data/${KEY}`;

let kube: KubernetesServer;
let kafkaServer: KafkaServer;
let vault: VaultServer;
let kafka: Kafka;
let producer: EventProducer;
let tail: Consumer | undefined;
let service: AppProcess | undefined;
const received: SecretRotated[] = [];
let written = 1;

const root = () => new VaultClient({ address: vault.address, token: vault.token });
const unseal = async () => {
  for (const key of vault.init!.keys) await root().unseal(key);
  // Unsealed is not yet active: writes answer 500 until this node has taken the active role.
  await waitFor('OpenBao active', async () => {
    const health = await root().health();
    return !health.sealed && !health.standby ? true : undefined;
  }, { timeoutMs: 60_000 });
};

/** Writes a new version (retrying while OpenBao is briefly unavailable); returns it. */
async function write(): Promise<number> {
  const version = await waitFor('KV write', () => root().kvWrite('secret', KEY, { password: randomUUID() }), { timeoutMs: 60_000, intervalMs: 500 });
  written = version;
  return version;
}

/**
 * Waits until the last version written is on the bus, then checks that nothing was lost or
 * repeated: versions strictly increase, and each event's previousVersion is the version of the
 * event before it (from the baseline 1), so every version written is covered by exactly one
 * event. Versions written within one poll round (a write right before a fault and one after)
 * share an event, as with any metadata poll: its previousVersion says so.
 */
async function everyVersionOnce(): Promise<void> {
  await waitFor(`version ${written} on the bus`, async () => (received.some((event) => event.version === written) ? true : undefined), { timeoutMs: 180_000, intervalMs: 200 }).catch((error: Error) => {
    throw new Error(`${error.message} (received ${received.map((event) => `${event.previousVersion}→${event.version}`).join(',')}); the service's output:\n${service?.output().slice(-4000)}`);
  });
  const chain = received.map((event) => [event.previousVersion, event.version]);
  expect(chain).toEqual(chain.map(([, version], i) => [i === 0 ? 1 : chain[i - 1]![1], version]));
  expect(chain.every(([previous, version]) => version! > previous!)).toBe(true);
  expect(chain.at(-1)![1]).toBe(written);
}

beforeAll(async () => {
  const servicePort = await freePort();
  [kube, kafkaServer, vault] = await Promise.all([startKubernetes(), startKafka(), startVault({ mode: 'sealed', initialize: { shares: 1, threshold: 1 } })]);
  await unseal();
  await root().enableSecretsEngine('secret', { type: 'kv', options: { version: '2' } });
  await root().writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }');
  const created = (await root().write<unknown>('auth/token/create', { policies: ['rotation-metadata'], no_default_policy: true, ttl: '2h' })) as unknown as { auth: { client_token: string } };
  await write();

  kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'rotation-faults-test' });
  producer = new EventProducer(kafka, { contracts: [podCreated, sealed, unsealed] });
  await producer.connect();
  await waitFor('topics created', () => ensureTopics(kafka, [secretRotated, podCreated, sealed, unsealed], defaultTopicSettings).then(() => true), { timeoutMs: 60_000, intervalMs: 500 });
  tail = await subscribeFromBeginning(kafka, Topics.secretRotated);
  await tail.run({ eachMessage: async ({ message }) => void received.push(secretRotated.schema.parse(JSON.parse(message.value!.toString()))) });

  await kube.client.call('create', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'faults', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } });
  await producer.publish(podCreated, { ...exampleEvents[Topics.podCreated], namespace: 'default', admissionUid: randomUUID(), podName: 'faults', generateName: undefined, owner: undefined, secrets: [{ name: 'config', path: PATH }] });
  service = await startAgentRenderer(
    servicePort,
    {
      KAFKA_BROKERS: kafkaServer.brokers.join(','),
      VAULT_ADDRESS: vault.address,
      VAULT_TOKEN: created.auth.client_token,
      POLL_MIN_INTERVAL_MS: '250',
      POLL_MAX_INTERVAL_MS: '2000',
      RESTART_ON_ROTATE: 'false',
      POD_NAME: 'renderer-faults',
    },
    { KUBECONFIG: kube.kubeconfigFile },
  );
  // The leader's first sight of the path is its baseline (stored in the versions Secret); then one rotation goes through.
  const stored = async () => {
    const secret = await kube.client.call<{ data?: Record<string, string> }>('read', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opzero-rotation-state', namespace: 'default' } }).catch(() => undefined);
    const raw = secret?.data?.['versions.json'];
    return raw ? (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, number>)[PATH] : undefined;
  };
  await waitFor('baseline stored', async () => ((await stored()) === 1 ? true : undefined), { timeoutMs: 120_000 });
  await write();
  await everyVersionOnce();
}, 600_000);

afterAll(async () => {
  await service?.kill();
  await tail?.disconnect();
  await producer?.disconnect();
  await Promise.all([kube?.stop(), kafkaServer?.stop(), vault?.stop()]);
});

/** A version written before, during and after `restart`; then every version is covered once. */
async function writesAround(restart: () => Promise<void>): Promise<void> {
  await write();
  const restarting = restart();
  await write();
  await restarting;
  await write();
  await everyVersionOnce();
}

it('Kafka restarted while versions are written: every version covered by one event, none repeated', async () => {
  await writesAround(() => kafkaServer.restart());
});

it('API server restarted: the versions Secret and the pod watch come back, every version covered once', async () => {
  await writesAround(() => kube.restart());
  expect(service!.output()).not.toContain('"why":"deleted"');
});

it('OpenBao sealed right after a write and unsealed: no false rotation, every version covered once', async () => {
  await write();
  await root().seal();
  await producer.publish(sealed, { ...exampleEvents[Topics.sealed], node: vault.address });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await unseal();
  await producer.publish(unsealed, { ...exampleEvents[Topics.unsealed], node: vault.address });
  await write();
  await everyVersionOnce();
  expect(service!.output()).not.toContain(vault.token);
});
