// unseal-keeper as a process against real OpenBao (sealed, raft), a second OpenBao as the
// transit KMS, and real Kafka: it initialises a fresh node, unseals it after every seal and
// after kill -9, reports a wrong KMS key as unseal-failed without touching Vault, and never
// writes a share or the root token anywhere.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, EventConsumer } from '@opzero/bus';
import { sealed, unsealed, unsealFailed } from '@opzero/contracts';
import { TransitKms } from '@opzero/kms';
import { freePort, requestJson, spawnApp, startKafka, startVault, waitFor, type AppProcess, type KafkaServer, type VaultServer } from '@opzero/testing';
import { FileKeyStore, rootTokenContext, shareContext } from '@opzero/unseal';
import { VaultClient } from '@opzero/vault';

type Seen = { topic: string; node: string; at: string; reason?: string; durationMs?: number };

let kafka: KafkaServer;
let kmsVault: VaultServer;
let vault: VaultServer;
let consumer: EventConsumer;
let keyFile: string;
const seen: Seen[] = [];
const processes: AppProcess[] = [];
let secrets: string[] = [];

async function keeper(env: Record<string, string> = {}): Promise<{ app: AppProcess; port: number; ready: () => Promise<unknown> }> {
  const port = await freePort();
  const app = spawnApp('unseal-keeper', {
    UNSEAL_KEEPER_HOST: '127.0.0.1',
    UNSEAL_KEEPER_PORT: String(port),
    UNSEAL_KEEPER_KAFKA_BROKERS: kafka.brokers.join(','),
    UNSEAL_KEEPER_LOG_LEVEL: 'trace',
    UNSEAL_KEEPER_VAULT_ADDRESSES: vault.address,
    UNSEAL_KEEPER_CLUSTER_NAME: 'it',
    UNSEAL_KEEPER_POLL_INTERVAL_MS: '250',
    UNSEAL_KEEPER_BACKOFF_INITIAL_MS: '300',
    UNSEAL_KEEPER_KMS_PROVIDER: 'transit',
    UNSEAL_KEEPER_TRANSIT_ADDRESS: kmsVault.address,
    UNSEAL_KEEPER_TRANSIT_TOKEN: kmsVault.token,
    UNSEAL_KEEPER_TRANSIT_KEY: 'unseal',
    UNSEAL_KEEPER_KEY_STORE: 'file',
    UNSEAL_KEEPER_KEY_STORE_FILE: keyFile,
    ...env,
  });
  processes.push(app);
  const ready = () => waitFor('keeper /healthz', async () => ((await requestJson('GET', `http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 60_000 });
  return { app, port, ready };
}

const status = () => new VaultClient({ address: vault.address }).sealStatus();
const root = () => new VaultClient({ address: vault.address, token: secrets.at(-1) ?? '' });
// Right after an unseal OpenBao is still becoming the raft leader and answers sys/seal 500 for a moment.
const seal = () => waitFor('sys/seal accepted', () => root().seal().then(() => true), { timeoutMs: 30_000, intervalMs: 50 });
const count = (topic: string) => seen.filter((event) => event.topic === topic).length;
const untilCount = (topic: string, n: number, timeoutMs = 60_000) => waitFor(`${n} × ${topic}`, async () => (count(topic) >= n ? true : undefined), { timeoutMs, intervalMs: 20 });

beforeAll(async () => {
  [kafka, kmsVault, vault] = await Promise.all([startKafka(), startVault({ mode: 'dev' }), startVault({ mode: 'sealed' })]);
  const kmsClient = new VaultClient({ address: kmsVault.address, token: kmsVault.token });
  await kmsClient.enableSecretsEngine('transit', { type: 'transit' });
  await kmsClient.transitCreateKey('unseal');
  await kmsClient.transitCreateKey('other');
  keyFile = join(await mkdtemp(join(tmpdir(), 'keeper-it-')), 'keys.json');
  consumer = new EventConsumer(createKafka({ brokers: kafka.brokers, clientId: 'unseal-test' }), { groupId: `unseal-test-${randomUUID()}` });
  consumer.on(sealed, async (e) => void seen.push({ topic: 'sealed', node: e.node, at: e.detectedAt }));
  consumer.on(unsealed, async (e) => void seen.push({ topic: 'unsealed', node: e.node, at: e.unsealedAt, durationMs: e.durationMs }));
  consumer.on(unsealFailed, async (e) => void seen.push({ topic: 'unseal-failed', node: e.node, at: e.failedAt, reason: e.reason }));
  await consumer.start();
}, 180_000);

afterAll(async () => {
  for (const app of processes) await app.kill();
  await consumer?.stop();
  await Promise.all([kafka?.stop(), kmsVault?.stop(), vault?.stop()]);
});

/** The events in the order they happened (event time; each topic is its own Kafka log). */
const inOrder = (events: Seen[]) => [...events].sort((a, b) => a.at.localeCompare(b.at) || (a.topic === 'sealed' ? -1 : 1)).map((event) => event.topic);

describe('unseal-keeper', () => {
  let main: Awaited<ReturnType<typeof keeper>>;

  it('initialises a fresh sealed OpenBao (INIT=true), keeps only transit ciphertexts, and unseals it', async () => {
    main = await keeper({ UNSEAL_KEEPER_INIT: 'true', UNSEAL_KEEPER_INIT_SHARES: '5', UNSEAL_KEEPER_INIT_THRESHOLD: '3' });
    await untilCount('unsealed', 1);
    expect(await status()).toMatchObject({ initialized: true, sealed: false, t: 3, n: 5 });
    const stored = (await new FileKeyStore(keyFile).load())!.value;
    expect(stored.shares.every((share) => share.blob.startsWith('vault:v1:'))).toBe(true);
    const kms = new TransitKms({ client: new VaultClient({ address: kmsVault.address, token: kmsVault.token }), key: 'unseal' });
    const plain = await Promise.all(stored.shares.map(async (share, i) => Buffer.from(await kms.decrypt(share, shareContext('it', i))).toString('hex')));
    secrets = [...plain, Buffer.from(await kms.decrypt(stored.rootToken!, rootTokenContext('it'))).toString('utf8')];
    const file = await readFile(keyFile, 'utf8');
    for (const secret of secrets) expect(file).not.toContain(secret);
    expect(inOrder(seen)).toEqual(['sealed', 'unsealed']);
  }, 120_000);

  it('is unsealed again after each of 50 seals through the API; the bus carries sealed, unsealed, in order, nothing else', async () => {
    const before = seen.length;
    for (let cycle = 1; cycle <= 50; cycle++) {
      await seal();
      await untilCount('unsealed', 1 + cycle);
    }
    const cycles = seen.slice(before);
    expect(inOrder(cycles)).toEqual(Array.from({ length: 50 }, () => ['sealed', 'unsealed']).flat());
    expect(cycles.every((event) => event.node === vault.address)).toBe(true);
    const durations = cycles.flatMap((event) => (event.durationMs === undefined ? [] : [event.durationMs])).sort((a, b) => a - b);
    process.stderr.write(`[unseal-keeper] 50 cycles, detection→unsealed p50 ${durations[24]} ms, p99 ${durations[48]} ms, max ${durations[49]} ms\n`);
    expect(await status()).toMatchObject({ sealed: false });
  }, 400_000);

  it('unseals after the server is killed (-9) and started again, with nobody acting', async () => {
    const before = count('unsealed');
    await vault.kill();
    await vault.restart();
    await untilCount('unsealed', before + 1);
    expect(await status()).toMatchObject({ sealed: false });
  }, 120_000);

  it('with the wrong KMS key: Vault untouched, unseal-failed shares-rejected, the keeper keeps serving; the right key unseals', async () => {
    expect(await main.app.stop()).toBe(0);
    const wrong = await keeper({ UNSEAL_KEEPER_TRANSIT_KEY: 'other' });
    await wrong.ready();
    await seal();
    await untilCount('unseal-failed', 2);
    expect(seen.filter((event) => event.topic === 'unseal-failed').map((event) => event.reason)).toEqual(['shares-rejected', 'shares-rejected']);
    expect(await status()).toMatchObject({ sealed: true, progress: 0 });
    expect((await requestJson('GET', `http://127.0.0.1:${wrong.port}/healthz`)).status).toBe(200);
    const metrics = (await requestJson('GET', `http://127.0.0.1:${wrong.port}/metrics`)).text;
    expect(metrics).toMatch(/opzero_unseal_failures_total\{[^}]*reason="shares-rejected"[^}]*\} [2-9]/);
    expect(metrics).toContain(`opzero_vault_node_sealed{node="${vault.address}"`);
    for (const secret of secrets) expect(metrics).not.toContain(secret);
    expect(await wrong.app.stop()).toBe(0);
    const before = count('unsealed');
    main = await keeper();
    await untilCount('unsealed', before + 1);
  }, 120_000);

  it('refuses bad configuration with exit 78, naming the variable', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ UNSEAL_KEEPER_KMS_PROVIDER: 'gcp-kms' }, 'UNSEAL_KEEPER_KMS_PROVIDER=\\"gcp-kms\\"'],
      [{ UNSEAL_KEEPER_TRANSIT_ADDRESS: '' }, 'UNSEAL_KEEPER_TRANSIT_ADDRESS=unset: required when UNSEAL_KEEPER_KMS_PROVIDER=transit'],
      [{ UNSEAL_KEEPER_INIT_SHARES: '2', UNSEAL_KEEPER_INIT_THRESHOLD: '3' }, 'UNSEAL_KEEPER_INIT_THRESHOLD=3: must not exceed UNSEAL_KEEPER_INIT_SHARES=2'],
    ];
    for (const [env, message] of cases) {
      const bad = await keeper(env);
      expect(await bad.app.exited).toBe(78);
      expect(bad.app.output()).toContain(message);
    }
  }, 60_000);

  it('never wrote a share or the root token to any log line of any keeper process (trace level)', () => {
    const output = processes.map((app) => app.output()).join('\n');
    expect(output.split('\n').length).toBeGreaterThan(100);
    expect(secrets).toHaveLength(6);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
