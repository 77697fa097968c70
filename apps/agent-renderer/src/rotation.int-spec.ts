// The rotation service on real Kafka, OpenBao and Kubernetes (API server + controller-manager):
// pod-created → KV v2 write → vault.secret-rotated.v1 on the bus once per version → the
// restart-on-rotate Deployment gets a new ReplicaSet; a bare pod is named in the event and left
// alone. Two replicas elect a leader over a Lease; the leader is killed -9 and a version written
// while nobody leads is emitted once by the follower, from the versions kept in a Secret.
// The index follows the cluster's pods: a deleted pod leaves at once, a pod that never existed
// (deleted while the service was down) leaves after the grace.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createKafka, defaultTopicSettings, ensureTopics, EventProducer } from '@opzero/bus';
import { exampleEvents, podCreated, sealed, secretRotated, Topics, unsealed, type PodCreated, type SecretRotated } from '@opzero/contracts';
import { freePort, startAgentRenderer, startKafka, startKubernetes, startVault, subscribeFromBeginning, waitFor, type AppProcess, type KafkaServer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';

jest.setTimeout(300_000);

let kube: KubernetesServer;
let kafkaServer: KafkaServer;
let vault: VaultServer;
let kafka: Kafka;
let producer: EventProducer;
let metadataToken: string;
const apps: Record<string, AppProcess> = {};
const ports: Record<string, number> = {};
const rotated: { event: SecretRotated; receivedAt: number }[] = [];
let stopTail: (() => Promise<void>) | undefined;
let injecting: NodeJS.Timeout | undefined;

const PATH = 'secret/data/devwebapp/config';
const BARE_PATH = 'secret/data/bare/config';

async function replica(name: string): Promise<void> {
  const port = await freePort();
  ports[name] = port;
  apps[name] = await startAgentRenderer(
    port,
    {
      KAFKA_BROKERS: kafkaServer.brokers.join(','),
      VAULT_ADDRESS: vault.address,
      VAULT_TOKEN: metadataToken,
      POLL_MIN_INTERVAL_MS: '250',
      RESTART_WINDOW_MS: '1000',
      LEADER_ELECTION: 'true',
      LEASE_DURATION_MS: '3000',
      POD_GRACE_MS: '5000',
      // The Role-only install's form (one watch per namespace, lists joined); cluster-wide differs only in the list URL.
      POD_WATCH_NAMESPACES: 'default,kube-system',
      POD_NAME: name,
    },
    { KUBECONFIG: kube.kubeconfigFile },
  );
}

const readObject = <T>(apiVersion: string, kind: string, name: string) => kube.client.call<T>('read', { apiVersion, kind, metadata: { name, namespace: 'default' } });
const holder = async () => (await readObject<{ spec: { holderIdentity?: string } }>('coordination.k8s.io/v1', 'Lease', 'opzero-agent-renderer')).spec.holderIdentity;
const storedVersions = async () => {
  const secret = await readObject<{ data?: Record<string, string> }>('v1', 'Secret', 'opzero-rotation-state').catch(() => undefined);
  const raw = secret?.data?.['versions.json'];
  return raw ? (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, number>) : {};
};
const replicaSets = async () =>
  kube.client.call<{ metadata: { name: string }; spec: { template: { metadata?: { annotations?: Record<string, string> } } } }[]>('list', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    namespace: 'default',
    labelSelector: 'app=devwebapp',
  });
const eventsFor = (path: string, version?: number) => rotated.filter(({ event }) => event.path === path && (version === undefined || event.version === version));
const root = () => new VaultClient({ address: vault.address, token: vault.token });

/** POST /v1/rotation/watch on a replica. */
async function watch(name: string, body: unknown, token?: string): Promise<{ status: number; body: { changed?: Record<string, number>; message?: string } }> {
  const response = await fetch(`http://127.0.0.1:${ports[name]}/v1/rotation/watch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-vault-token': token } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { changed?: Record<string, number>; message?: string } };
}

/** Writes a new version and waits for its event; returns write → event milliseconds. */
async function rotate(path: string, key: string): Promise<{ version: number; latencyMs: number }> {
  const writtenAt = Date.now();
  const version = await root().kvWrite('secret', key, { password: randomUUID() });
  const [received] = await waitFor(`secret-rotated ${path}@${version}`, async () => (eventsFor(path, version).length ? eventsFor(path, version) : undefined), { timeoutMs: 30_000, intervalMs: 5 });
  return { version, latencyMs: received!.receivedAt - writtenAt };
}

beforeAll(async () => {
  [kube, kafkaServer, vault] = await Promise.all([startKubernetes(), startKafka(), startVault({ mode: 'dev' })]);
  kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'rotation-test' });
  producer = new EventProducer(kafka, { contracts: [podCreated, sealed, unsealed] });
  await producer.connect();
  // Idempotent; retried because a just-started broker may answer the creation's metadata wait with UNKNOWN_TOPIC_OR_PARTITION.
  await waitFor('topics created', () => ensureTopics(kafka, [secretRotated, podCreated, sealed, unsealed], defaultTopicSettings).then(() => true), { timeoutMs: 60_000, intervalMs: 500 });
  const consumer = await subscribeFromBeginning(kafka, Topics.secretRotated);
  await consumer.run({ eachMessage: async ({ message }) => void rotated.push({ event: secretRotated.schema.parse(JSON.parse(message.value!.toString())), receivedAt: Date.now() }) });
  stopTail = () => consumer.disconnect();

  // The service's token may read KV v2 metadata and nothing else.
  await root().writePolicy('rotation-metadata', 'path "secret/metadata/*" { capabilities = ["read"] }');
  const created = await root().write<unknown>('auth/token/create', { policies: ['rotation-metadata'], no_default_policy: true, ttl: '1h' });
  metadataToken = (created as unknown as { auth: { client_token: string } }).auth.client_token;
  await expect(root().withToken(metadataToken).kvRead('secret', 'devwebapp/config')).rejects.toMatchObject({ status: 403 });
}, 300_000);

afterAll(async () => {
  clearInterval(injecting);
  for (const app of Object.values(apps)) await app.kill();
  await stopTail?.();
  await producer?.disconnect();
  await Promise.all([kube?.stop(), kafkaServer?.stop(), vault?.stop()]);
});

it('emits each new version once, rolls the restart-on-rotate Deployment, names the bare pod, and survives the leader being killed', async () => {
  const template = { metadata: { labels: { app: 'devwebapp' }, annotations: { 'opzero.io/restart-on-rotate': 'true' } }, spec: { containers: [{ name: 'app', image: 'example/devwebapp:1' }] } };
  await kube.client.call('create', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'devwebapp', namespace: 'default', labels: { app: 'devwebapp' } }, spec: { replicas: 1, selector: { matchLabels: { app: 'devwebapp' } }, template } });
  const [firstReplicaSet] = await waitFor('the first ReplicaSet', async () => ((await replicaSets()).length ? replicaSets() : undefined));
  await kube.client.call('create', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'default' }, spec: template.spec });
  await root().kvWrite('secret', 'devwebapp/config', { password: 'v1' });
  await root().kvWrite('secret', 'bare/config', { password: 'v1' });

  const base: PodCreated = { ...exampleEvents[Topics.podCreated], namespace: 'default', restartOnRotate: true };
  // The injector's part: every ReplicaSet's pods are admitted with a pod-created event (a rollout
  // replaces the old ReplicaSet's pods, and the pod watch drops their entry).
  const admitted = new Set<string>();
  const admit = async () => {
    for (const { metadata } of await replicaSets()) {
      if (admitted.has(metadata.name)) continue;
      admitted.add(metadata.name);
      await producer.publish(podCreated, { ...base, admissionUid: randomUUID(), generateName: `${metadata.name}-`, owner: { kind: 'ReplicaSet', name: metadata.name }, secrets: [{ name: 'config', path: PATH }] });
    }
  };
  await admit();
  injecting = setInterval(() => void admit().catch(() => undefined), 200);
  await producer.publish(podCreated, { ...base, admissionUid: randomUUID(), podName: 'bare', generateName: undefined, owner: undefined, secrets: [{ name: 'config', path: BARE_PATH }] });

  await replica('renderer-a');
  await replica('renderer-b');
  // Both paths have a baseline once the leader's first round stored them.
  await waitFor('baseline versions stored', async () => ((await storedVersions())[PATH] === 1 && (await storedVersions())[BARE_PATH] === 1 ? true : undefined), { timeoutMs: 60_000 });

  const first = await rotate(PATH, 'devwebapp/config');
  expect(eventsFor(PATH)).toHaveLength(1);
  expect(eventsFor(PATH)[0]!.event).toMatchObject({ path: PATH, kind: 'kv-v2', version: 2, previousVersion: 1, podCount: 1 });
  expect(eventsFor(PATH)[0]!.event.barePods).toBeUndefined();
  const replicaSetsAfter = await waitFor('a second ReplicaSet', async () => ((await replicaSets()).length >= 2 ? replicaSets() : undefined), { timeoutMs: 60_000 });
  const rolled = replicaSetsAfter.find((replicaSet) => replicaSet.metadata.name !== firstReplicaSet!.metadata.name)!;
  expect(rolled.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  await rotate(BARE_PATH, 'bare/config');
  expect(eventsFor(BARE_PATH)[0]!.event).toMatchObject({ version: 2, previousVersion: 1, podCount: 1, barePods: 1 });
  expect(await readObject<{ metadata: { name: string } }>('v1', 'Pod', 'bare')).toMatchObject({ metadata: { name: 'bare' } });

  // Sealed: no reads, no event; unsealed: every path re-checked at once.
  await producer.publish(sealed, { ...exampleEvents[Topics.sealed], node: vault.address });
  await waitFor('paused', async () => (apps[(await holder())!]!.output().includes('polling paused') ? true : undefined));
  const whileSealed = await root().kvWrite('secret', 'devwebapp/config', { password: randomUUID() });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(eventsFor(PATH, whileSealed)).toHaveLength(0);
  await producer.publish(unsealed, { ...exampleEvents[Topics.unsealed], node: vault.address });
  await waitFor('the version written while sealed', async () => (eventsFor(PATH, whileSealed).length ? true : undefined), { timeoutMs: 30_000 });

  // Kill -9 the leader; a version written while nobody leads is emitted once by the follower.
  const leader = (await holder())!;
  const follower = leader === 'renderer-a' ? 'renderer-b' : 'renderer-a';
  await apps[leader]!.kill();
  const duringGap = await root().kvWrite('secret', 'devwebapp/config', { password: randomUUID() });
  await waitFor('the version written during the failover', async () => (eventsFor(PATH, duringGap).length ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
  expect(await holder()).toBe(follower);

  // Write → event latency on the new leader (printed, not asserted: timings belong to benchmarks).
  const latencies = [first.latencyMs];
  for (let i = 0; i < 20; i++) latencies.push((await rotate(PATH, 'devwebapp/config')).latencyMs);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  process.stdout.write(`write → secret-rotated over ${latencies.length} rotations: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms\n`);

  // Per-key order on the topic: the last rotation's event arrived, so every earlier one is in. Each version exactly once.
  const versions = eventsFor(PATH).map(({ event }) => event.version!);
  expect(versions).toEqual([...new Set(versions)]);
  expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 2));
  for (const app of Object.values(apps)) {
    expect(app.output()).not.toContain(metadataToken);
    expect(app.output()).not.toContain(vault.token);
  }
});

it('pushes a new version to a sidecar watching with a token that may read the path, and refuses others', async () => {
  const serving = (await holder())!;
  await root().writePolicy('devwebapp-read', `path "${PATH}" { capabilities = ["read"] }`);
  const token = async (policies: string[]) => ((await root().write<unknown>('auth/token/create', { policies, ttl: '1h' })) as unknown as { auth: { client_token: string } }).auth.client_token;
  // Pod tokens carry the default policy, which allows sys/capabilities-self.
  const podToken = await token(['devwebapp-read']);
  const otherPodToken = await token(['default']);

  expect(await watch(serving, { paths: [PATH] })).toMatchObject({ status: 401, body: { message: 'X-Vault-Token header is required' } });
  expect(await watch(serving, { paths: [PATH] }, otherPodToken)).toMatchObject({ status: 403, body: { message: `the token may not read ${PATH}` } });
  expect(await watch(serving, { paths: [PATH] }, 'not-a-token')).toMatchObject({ status: 403, body: { message: 'Vault refused the token' } });
  expect(await watch(serving, { paths: [PATH, BARE_PATH] }, podToken)).toMatchObject({ status: 403, body: { message: `the token may not read ${BARE_PATH}` } });
  expect(await watch(serving, { paths: [PATH], waitMs: 'soon' }, podToken)).toMatchObject({ status: 400, body: { message: expect.stringContaining('waitMs') } });
  expect(await watch(serving, '{"paths": [', podToken)).toMatchObject({ status: 400 });
  const latest = (await root().kvReadMetadata('secret', 'devwebapp/config')).current_version;
  // Without a known version the sidecar learns the current one at once; with it, nothing changed until the wait ends.
  expect(await watch(serving, { paths: [PATH], waitMs: 30_000 }, podToken)).toEqual({ status: 200, body: { changed: { [PATH]: latest } } });
  expect(await watch(serving, { paths: [PATH], known: { [PATH]: latest }, waitMs: 200 }, podToken)).toEqual({ status: 200, body: { changed: {} } });

  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const current = (await root().kvReadMetadata('secret', 'devwebapp/config')).current_version;
    const answer = watch(serving, { paths: [PATH], known: { [PATH]: current }, waitMs: 30_000 }, podToken);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const writtenAt = Date.now();
    const version = await root().kvWrite('secret', 'devwebapp/config', { password: randomUUID() });
    expect(await answer).toEqual({ status: 200, body: { changed: { [PATH]: version } } });
    latencies.push(Date.now() - writtenAt);
  }
  latencies.sort((a, b) => a - b);
  process.stdout.write(`write → watch answered over ${latencies.length} rotations: p50 ${latencies[10]} ms, p99 ${latencies.at(-1)} ms\n`);
  for (const app of Object.values(apps)) expect(app.output()).not.toContain(podToken);
});

it('drops a deleted pod and a pod the cluster does not have from the index (pod watch on the API server)', async () => {
  const SHARED = 'secret/data/shared/config';
  const spec = { containers: [{ name: 'app', image: 'example/app:1' }] };
  for (const name of ['keep', 'gone']) await kube.client.call('create', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec });
  await root().kvWrite('secret', 'shared/config', { password: 'v1' });
  const base: PodCreated = { ...exampleEvents[Topics.podCreated], namespace: 'default', generateName: undefined, owner: undefined, secrets: [{ name: 'config', path: SHARED }] };
  // `never` was admitted but its pod is not in the cluster (deleted while the service was down, say).
  for (const podName of ['keep', 'gone', 'never']) await producer.publish(podCreated, { ...base, admissionUid: randomUUID(), podName });
  await waitFor('baseline of the shared path', async () => ((await storedVersions())[SHARED] === 1 ? true : undefined), { timeoutMs: 60_000 });

  /** Rotates until an event reports `pods` pods on the path (the index changes asynchronously). */
  const rotateUntil = async (pods: number) =>
    waitFor(`a rotation counting ${pods} pods`, async () => ((await rotate(SHARED, 'shared/config')).version && eventsFor(SHARED).at(-1)!.event.podCount === pods ? true : undefined), { timeoutMs: 120_000, intervalMs: 100 });
  await rotateUntil(2);
  const leader = apps[(await holder())!]!;
  expect(leader.output()).toMatch(/"pods":\["default\/never"\],"why":"absent"/);

  await kube.client.call('delete', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gone', namespace: 'default' } });
  await rotateUntil(1);
  expect(leader.output()).toMatch(/"pods":\["default\/gone"\],"why":"deleted"/);
  // Each version of the shared path once, in order.
  const versions = eventsFor(SHARED).map(({ event }) => event.version!);
  expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 2));
});
