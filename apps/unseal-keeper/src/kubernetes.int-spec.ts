// unseal-keeper on a real Kubernetes API server: the shares live in a Secret (encrypted), and
// two replicas elect a leader over a Lease. The leader is killed (-9) in the middle of an
// unseal (the node is left with part of the shares submitted): the other replica takes the
// Lease, resets the progress and finishes the unseal.
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { freePort, requestJson, spawnApp, startKafka, startKubernetes, startVault, waitFor, type AppProcess, type KafkaServer, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { parseStoredKeys, rootTokenContext, shareContext } from '@opzero/unseal';
import { VaultClient } from '@opzero/vault';

let kube: KubernetesServer;
let kafka: KafkaServer;
let vault: VaultServer;
let keyFile: string;
const key = randomBytes(32);
const keepers: Record<string, AppProcess> = {};

async function keeper(name: string): Promise<void> {
  const port = await freePort();
  keepers[name] = spawnApp('unseal-keeper', {
    KUBECONFIG: kube.kubeconfigFile,
    UNSEAL_KEEPER_HOST: '127.0.0.1',
    UNSEAL_KEEPER_PORT: String(port),
    UNSEAL_KEEPER_LOG_LEVEL: 'debug',
    UNSEAL_KEEPER_KAFKA_BROKERS: kafka.brokers.join(','),
    UNSEAL_KEEPER_VAULT_ADDRESSES: vault.address,
    UNSEAL_KEEPER_CLUSTER_NAME: 'k8s',
    UNSEAL_KEEPER_POLL_INTERVAL_MS: '250',
    UNSEAL_KEEPER_KMS_PROVIDER: 'local-key-file',
    UNSEAL_KEEPER_LOCAL_KEY_FILE: keyFile,
    UNSEAL_KEEPER_KEY_STORE: 'kubernetes',
    UNSEAL_KEEPER_KUBERNETES_NAMESPACE: 'default',
    UNSEAL_KEEPER_KUBERNETES_SECRET_NAME: 'vault-unseal-keys',
    UNSEAL_KEEPER_LEADER_ELECTION: 'true',
    UNSEAL_KEEPER_LEASE_DURATION_MS: '3000',
    UNSEAL_KEEPER_POD_NAME: name,
    UNSEAL_KEEPER_INIT: 'true',
    UNSEAL_KEEPER_INIT_SHARES: '5',
    UNSEAL_KEEPER_INIT_THRESHOLD: '3',
  });
  await waitFor(`keeper ${name}`, async () => ((await requestJson('GET', `http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 120_000 }).catch(
    (error: Error) => {
      throw new Error(`${error.message}; its output:\n${keepers[name]!.output().slice(-3000)}`);
    },
  );
}

const status = () => new VaultClient({ address: vault.address }).sealStatus();
const holder = async () =>
  ((await kube.client.call('read', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'opzero-unseal-keeper', namespace: 'default' } })) as { spec: { holderIdentity?: string } }).spec.holderIdentity;

beforeAll(async () => {
  [kube, kafka, vault] = await Promise.all([startKubernetes(), startKafka(), startVault({ mode: 'sealed' })]);
  keyFile = join(await mkdtemp(join(tmpdir(), 'keeper-k8s-')), 'kms.key');
  await writeFile(keyFile, key.toString('base64'), { mode: 0o600 });
}, 300_000);
afterAll(async () => {
  for (const app of Object.values(keepers)) await app.kill();
  await Promise.all([kube?.stop(), kafka?.stop(), vault?.stop()]);
});

it('initialises into a Secret, and a follower finishes an unseal its killed leader left half done', async () => {
  await keeper('keeper-a');
  await waitFor('unsealed', async () => ((await status()).sealed ? undefined : true), { timeoutMs: 60_000 });
  await keeper('keeper-b');
  const secret = (await kube.client.call('read', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-unseal-keys', namespace: 'default' } })) as { data: Record<string, string> };
  const stored = parseStoredKeys(Buffer.from(secret.data['keys.json']!, 'base64').toString('utf8'), 'secret');
  const kms = LocalKeyFileKms.fromKey(key);
  const shares = await Promise.all(stored.shares.map(async (share, i) => Buffer.from(await kms.decrypt(share, shareContext('k8s', i))).toString('hex')));
  const rootToken = Buffer.from(await kms.decrypt(stored.rootToken!, rootTokenContext('k8s'))).toString('utf8');
  for (const secretValue of [...shares, rootToken]) expect(secret.data['keys.json']).not.toContain(Buffer.from(secretValue).toString('base64'));

  const leader = (await waitFor('a Lease holder', holder))!;
  const follower = leader === 'keeper-a' ? 'keeper-b' : 'keeper-a';
  await keepers[leader]!.kill();
  const root = new VaultClient({ address: vault.address, token: rootToken });
  await waitFor('sys/seal accepted', () => root.seal().then(() => true), { timeoutMs: 30_000, intervalMs: 50 });
  // What a leader killed after its first share leaves behind.
  expect(await new VaultClient({ address: vault.address }).unseal(shares[0]!)).toMatchObject({ sealed: true, progress: 1 });

  await waitFor('unsealed by the follower', async () => ((await status()).sealed ? undefined : true), { timeoutMs: 60_000, intervalMs: 100 });
  expect(await holder()).toBe(follower);
  const output = keepers[follower]!.output();
  expect(output).toContain('leading: this keeper unseals');
  expect(output).toContain('node unsealed');
  for (const app of Object.values(keepers)) for (const secretValue of [...shares, rootToken]) expect(app.output()).not.toContain(secretValue);
}, 240_000);
