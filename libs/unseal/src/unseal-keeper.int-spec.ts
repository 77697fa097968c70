import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { startVault, waitFor, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { FileKeyStore } from './file.key-store';
import { InitRefused, initializeVault } from './initialize-vault';
import { ShareSource } from './share-source';
import { rootTokenContext, shareContext } from './stored-keys';
import { capturedLogger, recordingEvents } from './testing/recording';
import type { NodeState } from './node-state';
import { UnsealKeeper } from './unseal-keeper';
import type { UnsealMetrics } from './unseal-metrics';
import { vaultNode } from './vault-node';

describe('UnsealKeeper on a real sealed OpenBao', () => {
  let vault: VaultServer;
  let other: VaultServer;
  const kms = LocalKeyFileKms.fromKey(randomBytes(32));
  const { logger, lines } = capturedLogger();
  const events = recordingEvents();
  let store: FileKeyStore;
  let keeper: UnsealKeeper;
  let rootToken = '';
  let shares: string[] = [];

  beforeAll(async () => {
    [vault, other] = await Promise.all([startVault({ mode: 'sealed' }), startVault({ mode: 'sealed', initialize: { shares: 1, threshold: 1 } })]);
    store = new FileKeyStore(join(await mkdtemp(join(tmpdir(), 'keeper-')), 'keys.json'));
  }, 180_000);
  afterAll(async () => {
    await keeper?.stop();
    await Promise.all([vault?.stop(), other?.stop()]);
  });

  const client = () => new VaultClient({ address: vault.address, token: rootToken });
  // Right after an unseal OpenBao is still taking over as the raft leader and answers sys/seal with 500 for a moment.
  const seal = () => waitFor('sys/seal accepted', () => client().seal().then(() => true), { timeoutMs: 30_000, intervalMs: 50 });
  const status = () => new VaultClient({ address: vault.address }).sealStatus();
  const source = () => new ShareSource(store, kms, 'c1');
  const eventsAfter = (count: number) => waitFor(`${count} events`, async () => (events.events.length >= count ? events.events.slice() : undefined), { timeoutMs: 30_000, intervalMs: 20 });

  it('initialises: refuses an initialised node, stores every share and the root token encrypted only', async () => {
    // A watch-only keeper tells the states apart through sys/health: uninitialised before init, sealed after.
    const states: NodeState[] = [];
    // Each change, unanswered polls left out (init holds the node for a moment).
    const metrics: UnsealMetrics = { nodeState: (_node, state) => void (state !== 'unreachable' && states.at(-1) !== state && states.push(state)), unsealed() {}, failed() {} };
    const watcher = new UnsealKeeper({ nodes: [vaultNode(vault.address)], events: recordingEvents(), logger, metrics }, { intervalMs: 50, jitter: 0.1, backoffInitialMs: 200, backoffMaxMs: 1_000 });
    watcher.start();
    await waitFor('uninitialised seen', async () => (states.includes('uninitialized') ? true : undefined), { timeoutMs: 30_000, intervalMs: 10 });
    await expect(initializeVault(vaultNode(other.address), store, kms, { shares: 5, threshold: 3, cluster: 'c1' }, logger)).rejects.toBeInstanceOf(InitRefused);
    expect(await store.load()).toBeUndefined();
    const stored = await initializeVault(vaultNode(vault.address), store, kms, { shares: 5, threshold: 3, cluster: 'c1' }, logger);
    expect(stored).toMatchObject({ state: 'complete', kind: 'unseal', threshold: 3 });
    expect(stored.shares).toHaveLength(5);
    shares = await Promise.all(stored.shares.map(async (share, i) => Buffer.from(await kms.decrypt(share, shareContext('c1', i))).toString('hex')));
    rootToken = Buffer.from(await kms.decrypt(stored.rootToken!, rootTokenContext('c1'))).toString('utf8');
    expect(await status()).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5 });
    await waitFor('sealed seen', async () => (states.includes('sealed') ? true : undefined), { timeoutMs: 30_000, intervalMs: 10 });
    await watcher.stop();
    expect(states).toEqual(['uninitialized', 'sealed']);
    const file = JSON.stringify((await store.load())?.value);
    for (const secret of [...shares, rootToken]) expect(file).not.toContain(secret);
    // Never over existing keys, even for an uninitialised node.
    await expect(initializeVault(vaultNode(vault.address), store, kms, { shares: 5, threshold: 3, cluster: 'c1' }, logger)).rejects.toThrow(/already initialised/);
  });

  it('unseals the freshly initialised node, then again after each seal through the API', async () => {
    const states = new Set<NodeState>();
    const metrics: UnsealMetrics = { nodeState: (_node, state) => void states.add(state), unsealed() {}, failed() {} };
    keeper = new UnsealKeeper({ nodes: [vaultNode(vault.address)], source: source(), events, logger, metrics }, { intervalMs: 100, jitter: 0.1, backoffInitialMs: 200, backoffMaxMs: 1_000 });
    keeper.start();
    await eventsAfter(2);
    expect(events.events.map((e) => e.type)).toEqual(['sealed', 'unsealed']);
    expect(await status()).toMatchObject({ sealed: false });
    // Once raft has elected it, sys/health calls the node active (a standby until then).
    await waitFor('active seen', async () => (states.has('active') ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 });
    for (let cycle = 0; cycle < 3; cycle++) {
      await seal();
      await eventsAfter(4 + cycle * 2);
    }
    expect(events.events.map((e) => e.type)).toEqual(['sealed', 'unsealed', 'sealed', 'unsealed', 'sealed', 'unsealed', 'sealed', 'unsealed']);
    expect(events.events[1]).toMatchObject({ node: vault.address, sharesUsed: 3 });
  }, 120_000);

  it('after kill -9 and a start, unseals with nobody acting', async () => {
    const before = events.events.length;
    await vault.kill();
    await vault.restart();
    await eventsAfter(before + 2);
    expect(events.events.slice(before).map((e) => e.type)).toEqual(['sealed', 'unsealed']);
    expect(await status()).toMatchObject({ sealed: false });
  }, 120_000);

  it('with corrupted shares: Vault untouched, unseal-failed with the reason, backoff, and recovers once the store is fixed', async () => {
    const good = (await store.load())!;
    const corrupt = good.value.shares.map((share) => ({ ...share, blob: randomBytes(60).toString('base64') }));
    await store.replace({ ...good.value, shares: corrupt }, good.revision);
    const before = events.events.length;
    await seal();
    const failed = await waitFor('two failures', async () => {
      const since = events.events.slice(before);
      return since.filter((e) => e.type === 'unseal-failed').length >= 2 ? since : undefined;
    }, { timeoutMs: 30_000, intervalMs: 20 });
    expect(failed[0]?.type).toBe('sealed');
    expect(failed[1]).toMatchObject({ type: 'unseal-failed', reason: 'shares-rejected', attempt: 1 });
    expect(failed[2]).toMatchObject({ type: 'unseal-failed', reason: 'shares-rejected', attempt: 2 });
    expect(await status()).toMatchObject({ sealed: true, progress: 0 });
    const broken = (await store.load())!;
    await store.replace(good.value, broken.revision);
    await waitFor('unsealed again', async () => (events.events.at(-1)?.type === 'unsealed' ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    expect(await status()).toMatchObject({ sealed: false });
  }, 120_000);

  it('a share Vault rejects: progress reset, shares-rejected, keeper keeps serving', async () => {
    const good = (await store.load())!;
    // Well-encrypted, but not this Vault's shares.
    const wrong = await Promise.all(good.value.shares.map((_, i) => kms.encrypt(randomBytes(33), shareContext('c1', i))));
    await store.replace({ ...good.value, shares: wrong }, good.revision);
    const before = events.events.length;
    await seal();
    const failure = await waitFor('a failure', async () => events.events.slice(before).find((e) => e.type === 'unseal-failed'), { timeoutMs: 30_000, intervalMs: 20 });
    expect(failure).toMatchObject({ reason: 'shares-rejected', attempt: 1 });
    expect(await status()).toMatchObject({ sealed: true, progress: 0 });
    await store.replace(good.value, (await store.load())!.revision);
    await waitFor('unsealed again', async () => (events.events.at(-1)?.type === 'unsealed' ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
  }, 120_000);

  it('never logged a share or the root token, at trace level', () => {
    expect(lines.length).toBeGreaterThan(10);
    const log = lines.join('\n');
    for (const secret of [...shares, rootToken]) expect(log).not.toContain(secret);
    for (const event of events.events) for (const secret of [...shares, rootToken]) expect(JSON.stringify(event)).not.toContain(secret);
  });
});
