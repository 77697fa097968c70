// unseal-keeper finding its Vault nodes as the pods behind a Service, through the EndpointSlices
// of a real API server, while it runs: a node that appears is watched and unsealed, a node that
// goes away is no longer watched. A sealed Vault pod fails its readiness probe, so every
// endpoint here is ready=false: the keeper must see not-ready endpoints.
//
// Loopback addresses: the API server refuses 127.0.0.0/8 in IPv4 and IPv6 slices (HTTP 422,
// "may not be in the loopback range"). These slices are addressType FQDN with the address
// "127.0.0.1", which it accepts as a four-label domain name; the keeper builds
// http://127.0.0.1:<slice port> from it, so all traffic stays on 127.0.0.1 with no mapping that
// exists only for tests. Each OpenBao has its own port, so each has its own slice (ports are
// per slice).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, EventConsumer } from '@opzero/bus';
import { sealed, unsealed, unsealFailed } from '@opzero/contracts';
import { LocalKeyFileKms } from '@opzero/kms';
import { freePort, requestJson, spawnApp, startKafka, startKubernetes, startVault, waitFor, type AppProcess, type KafkaServer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { FileKeyStore, importUnsealKeys } from '@opzero/unseal';
import { VaultClient } from '@opzero/vault';

type Seen = { topic: string; node: string; at: string; reason?: string };

let kube: KubernetesServer;
let kafka: KafkaServer;
let a: VaultServer;
let b: VaultServer;
let consumer: EventConsumer;
let keeper: AppProcess;
let port: number;
const seen: Seen[] = [];

const slice = (name: string, vault: VaultServer) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  // Managed by the test, so the controller-manager's EndpointSlice controllers leave it alone.
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'vault', 'endpointslice.kubernetes.io/managed-by': 'opzero-test' } },
  addressType: 'FQDN',
  ports: [{ name: 'http', port: Number(new URL(vault.address).port), protocol: 'TCP' }],
  endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: false, serving: false, terminating: false } }],
});

/** One node's events in the order they happened (each topic is its own Kafka log, so arrival order is not it). */
const events = (node: string) =>
  seen.filter((event) => event.node === node).sort((x, y) => x.at.localeCompare(y.at) || (x.topic === 'sealed' ? -1 : 1));
/** The node's `opzero_vault_node_state` series for `state` reads 1. */
const inState = (node: string, state: string) => new RegExp(`opzero_vault_node_state\\{[^}]*node="${node.replace(/[.]/g, '\\.')}"[^}]*state="${state}"[^}]*\\} 1\\b`);
const until = (what: string, condition: () => boolean) => waitFor(what, async () => (condition() ? true : undefined), { timeoutMs: 120_000, intervalMs: 20 });
const metrics = async () => (await requestJson('GET', `http://127.0.0.1:${port}/metrics`)).text;

beforeAll(async () => {
  [kube, kafka, a, b] = await Promise.all([
    startKubernetes(),
    startKafka(),
    startVault({ mode: 'sealed', initialize: { shares: 3, threshold: 2 } }),
    // Another cluster: the keeper's shares are not its shares.
    startVault({ mode: 'sealed', initialize: { shares: 1, threshold: 1 } }),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'keeper-discovery-'));
  const key = randomBytes(32);
  await writeFile(join(dir, 'kms.key'), key.toString('base64'), { mode: 0o600 });
  await importUnsealKeys(new FileKeyStore(join(dir, 'keys.json')), LocalKeyFileKms.fromKey(key), a.init!.keys, { threshold: 2, cluster: 'disc' });
  consumer = new EventConsumer(createKafka({ brokers: kafka.brokers, clientId: 'discovery-test' }), { groupId: `discovery-test-${randomUUID()}` });
  consumer.on(sealed, async (e) => void seen.push({ topic: 'sealed', node: e.node, at: e.detectedAt }));
  consumer.on(unsealed, async (e) => void seen.push({ topic: 'unsealed', node: e.node, at: e.unsealedAt }));
  consumer.on(unsealFailed, async (e) => void seen.push({ topic: 'unseal-failed', node: e.node, at: e.failedAt, reason: e.reason }));
  await consumer.start();
  await kube.client.call('create', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'vault', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8200 }] } });

  port = await freePort();
  keeper = spawnApp('unseal-keeper', {
    KUBECONFIG: kube.kubeconfigFile,
    UNSEAL_KEEPER_HOST: '127.0.0.1',
    UNSEAL_KEEPER_PORT: String(port),
    UNSEAL_KEEPER_LOG_LEVEL: 'debug',
    UNSEAL_KEEPER_KAFKA_BROKERS: kafka.brokers.join(','),
    UNSEAL_KEEPER_KUBERNETES_SERVICE: 'default/vault',
    UNSEAL_KEEPER_KUBERNETES_SERVICE_PORT: 'http',
    UNSEAL_KEEPER_CLUSTER_NAME: 'disc',
    UNSEAL_KEEPER_POLL_INTERVAL_MS: '250',
    UNSEAL_KEEPER_BACKOFF_INITIAL_MS: '300',
    UNSEAL_KEEPER_KMS_PROVIDER: 'local-key-file',
    UNSEAL_KEEPER_LOCAL_KEY_FILE: join(dir, 'kms.key'),
    UNSEAL_KEEPER_KEY_STORE_FILE: join(dir, 'keys.json'),
  });
  await waitFor('keeper /healthz', async () => ((await requestJson('GET', `http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 120_000 }).catch(
    (error: Error) => {
      throw new Error(`${error.message}; its output:\n${keeper.output().slice(-3000)}`);
    },
  );
}, 300_000);

afterAll(async () => {
  await keeper?.kill();
  await consumer?.stop();
  await Promise.all([kube?.stop(), kafka?.stop(), a?.stop(), b?.stop()]);
});

it('watches and unseals a not-ready pod that appears behind the Service, and stops watching one that leaves', async () => {
  expect(keeper.output()).toContain('watching Vault nodes');
  await kube.client.call('create', slice('vault-a', a));
  await until('a unsealed', () => events(a.address).some((event) => event.topic === 'unsealed'));
  expect(await new VaultClient({ address: a.address }).sealStatus()).toMatchObject({ sealed: false });

  // A second node appears while the keeper runs: watched at once (its shares are another cluster's, so it stays sealed).
  await kube.client.call('create', slice('vault-b', b));
  await until('b reported', () => events(b.address).some((event) => event.topic === 'unseal-failed'));
  expect(events(b.address).slice(0, 2)).toMatchObject([
    { topic: 'sealed', node: b.address },
    { topic: 'unseal-failed', node: b.address, reason: 'shares-rejected' },
  ]);
  expect(await new VaultClient({ address: b.address }).sealStatus()).toMatchObject({ sealed: true, progress: 0 });
  expect(await metrics()).toMatch(inState(b.address, 'sealed'));

  // It leaves: no longer watched, its series gone; a is still kept unsealed.
  await kube.client.call('delete', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'vault-b', namespace: 'default' } });
  // Its state series go (its failure counts stay: a counter that vanished would read as a reset).
  const bState = new RegExp(`opzero_vault_node_state\\{[^}]*node="${b.address}"`);
  await waitFor('b forgotten', async () => (bState.test(await metrics()) ? undefined : true), { timeoutMs: 120_000, intervalMs: 100 });
  // The log line is written right after the series go, but reaches us through a pipe: wait for it.
  const forgotten = new RegExp(`"node":"${b.address}"[^\\n]*"msg":"node no longer watched"`);
  await waitFor('b logged as no longer watched', async () => (forgotten.test(keeper.output()) ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });
  // Unsealed, it becomes the active node once raft has elected it (standby until then).
  await waitFor('a active', async () => (inState(a.address, 'active').test(await metrics()) ? true : undefined), { timeoutMs: 120_000, intervalMs: 100 });

  const root = new VaultClient({ address: a.address, token: a.init!.rootToken });
  await waitFor('sys/seal accepted', () => root.seal().then(() => true), { timeoutMs: 60_000, intervalMs: 50 });
  await until('a unsealed again', () => events(a.address).filter((event) => event.topic === 'unsealed').length === 2);
  expect(events(a.address).map((event) => event.topic)).toEqual(['sealed', 'unsealed', 'sealed', 'unsealed']);
  for (const share of a.init!.keys) expect(keeper.output()).not.toContain(share);
}, 300_000);
