import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyFileKms } from '@opzero/kms';
import { startVault, waitFor, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { FileKeyStore } from './file.key-store';
import { initializeVault } from './initialize-vault';
import { migrateSeal, transitSealStanza } from './migrate-seal';
import { ShareSource } from './share-source';
import { capturedLogger } from './testing/recording';
import { unsealNode } from './unseal-node';
import { vaultNode } from './vault-node';

describe('migrateSeal: a Shamir-sealed OpenBao becomes transit-sealed and unseals itself on restart', () => {
  let kmsVault: VaultServer;
  let vault: VaultServer;
  let autoSealed: VaultServer;
  beforeAll(async () => {
    [kmsVault, vault, autoSealed] = await Promise.all([startVault({ mode: 'dev' }), startVault({ mode: 'sealed' }), startVault({ mode: 'sealed' })]);
    const kms = new VaultClient({ address: kmsVault.address, token: kmsVault.token });
    await kms.enableSecretsEngine('transit', { type: 'transit' });
    await kms.transitCreateKey('autounseal');
  }, 180_000);
  afterAll(() => Promise.all([kmsVault?.stop(), vault?.stop(), autoSealed?.stop()]));

  it('initialises a node that already runs an auto-unseal seal with recovery shares', async () => {
    const { logger } = capturedLogger();
    await autoSealed.appendConfig!(transitSealStanza({ address: kmsVault.address, token: kmsVault.token, keyName: 'autounseal' }));
    await autoSealed.restart();
    const node = vaultNode(autoSealed.address);
    expect(await node.sealStatus()).toMatchObject({ type: 'transit', initialized: false });
    const store = new FileKeyStore(join(await mkdtemp(join(tmpdir(), 'recovery-')), 'keys.json'));
    const stored = await initializeVault(node, store, LocalKeyFileKms.fromKey(randomBytes(32)), { shares: 3, threshold: 2, cluster: 'r1' }, logger);
    expect(stored).toMatchObject({ state: 'complete', kind: 'recovery', threshold: 2 });
    expect(stored.shares).toHaveLength(3);
    const status = await waitFor('unsealed by its seal', async () => {
      const current = await node.sealStatus();
      return current.sealed ? undefined : current;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(status).toMatchObject({ type: 'transit', initialized: true, recovery_seal: true });
  }, 120_000);

  it('migrates with the stored shares, records them as recovery shares, and needs no keeper afterwards', async () => {
    const { logger } = capturedLogger();
    const dir = await mkdtemp(join(tmpdir(), 'migrate-'));
    const source = new ShareSource(new FileKeyStore(join(dir, 'keys.json')), LocalKeyFileKms.fromKey(randomBytes(32)), 'm1');
    const node = vaultNode(vault.address);
    await initializeVault(node, source.store, source.kms, { shares: 3, threshold: 2, cluster: 'm1' }, logger);
    await unsealNode(node, await node.sealStatus(), source);
    expect(await node.sealStatus()).toMatchObject({ type: 'shamir', sealed: false });

    const sealConfigPath = join(dir, 'seal.hcl');
    const stanza = transitSealStanza({ address: kmsVault.address, token: kmsVault.token, keyName: 'autounseal' });
    const migration = migrateSeal(node, source, { sealStanza: stanza, sealConfigPath, pollMs: 200, timeoutMs: 120_000 }, logger);
    // The operator's (here the test's) part: restart the node with the stanza the command wrote.
    await waitFor('seal stanza written', async () => (await stat(sealConfigPath).catch(() => undefined)) && true);
    expect((await stat(sealConfigPath)).mode & 0o777).toBe(0o600);
    await vault.appendConfig!(await readFile(sealConfigPath, 'utf8'));
    await vault.restart();
    await migration;

    // For a moment after the migrating unseal OpenBao answers seal-status with 500 ("barrier seal
    // type ... does not match loaded type") while it finishes the migration.
    const migrated = await waitFor('the migration finished', async () => {
      const status = await node.sealStatus();
      return status.sealed ? undefined : status;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(migrated).toMatchObject({ type: 'transit', sealed: false, recovery_seal: true });
    expect((await source.store.load())?.value.kind).toBe('recovery');
    await vault.restart();
    const afterRestart = await waitFor('unsealed by its own seal', async () => {
      const status = await node.sealStatus();
      return status.sealed ? undefined : status;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(afterRestart).toMatchObject({ type: 'transit', sealed: false });
  }, 240_000);
});
