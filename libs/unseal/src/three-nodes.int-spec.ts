import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { startVault, waitFor, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { FileKeyStore } from './file.key-store';
import { initializeVault } from './initialize-vault';
import { rootTokenContext } from './stored-keys';
import { ShareSource } from './share-source';
import { capturedLogger, recordingEvents } from './testing/recording';
import { UnsealKeeper } from './unseal-keeper';
import { vaultNode } from './vault-node';

// A raft cluster is out of reach of libs/testing's single-node starter, so: three separate
// OpenBao servers (three clusters, each with its own shares and store), sealed at once.
describe('three nodes sealed at once', () => {
  let servers: VaultServer[] = [];
  const keepers: UnsealKeeper[] = [];
  const events = recordingEvents();
  const kms = LocalKeyFileKms.fromKey(randomBytes(32));
  const tokens: string[] = [];

  beforeAll(async () => {
    servers = await Promise.all([0, 1, 2].map(() => startVault({ mode: 'sealed' })));
  }, 240_000);
  afterAll(async () => {
    await Promise.all(keepers.map((keeper) => keeper.stop()));
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('unseals all three', async () => {
    const { logger } = capturedLogger();
    const dir = await mkdtemp(join(tmpdir(), 'three-'));
    for (const [i, server] of servers.entries()) {
      const source = new ShareSource(new FileKeyStore(join(dir, `keys-${i}.json`)), kms, `c${i}`);
      const stored = await initializeVault(vaultNode(server.address), source.store, kms, { shares: 3, threshold: 2, cluster: `c${i}` }, logger);
      tokens.push(Buffer.from(await kms.decrypt(stored.rootToken!, rootTokenContext(`c${i}`))).toString('utf8'));
      const keeper = new UnsealKeeper({ nodes: [vaultNode(server.address)], source, events, logger }, { intervalMs: 250, jitter: 0.1, backoffInitialMs: 200, backoffMaxMs: 1_000 });
      keeper.start();
      keepers.push(keeper);
    }
    const allUnsealed = (n: number) => waitFor(`${n} unsealed`, async () => (events.events.filter((e) => e.type === 'unsealed').length >= n ? true : undefined), { timeoutMs: 60_000, intervalMs: 10 });
    await allUnsealed(3);
    const clients = servers.map((server, i) => new VaultClient({ address: server.address, token: tokens[i] }));
    const started = Date.now();
    await Promise.all(clients.map((client) => waitFor('sys/seal accepted', () => client.seal().then(() => true), { timeoutMs: 30_000, intervalMs: 50 })));
    await allUnsealed(6);
    process.stderr.write(`[unseal] three nodes sealed at once: all unsealed ${Date.now() - started} ms after the seal calls were sent\n`);
    for (const client of clients) expect(await client.sealStatus()).toMatchObject({ sealed: false });
    const byNode = new Set(events.events.slice(3).filter((e) => e.type === 'unsealed').map((e) => e.node));
    expect(byNode).toEqual(new Set(servers.map((server) => server.address)));
  }, 180_000);
});
