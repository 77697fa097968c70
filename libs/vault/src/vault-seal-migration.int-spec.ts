import { startVault, waitFor, type VaultServer } from '@opzero/testing';
import { VaultClient, type SealStatus } from './index';

/** The transit seal stanza both servers below get: auto-unseal through the KMS server's transit key. */
function transitSeal(kms: VaultServer): string {
  return `seal "transit" {\n  address = "${kms.address}"\n  token = "${kms.token}"\n  key_name = "autounseal"\n  mount_path = "transit/"\n}\n`;
}

async function untilUnsealed(vault: VaultClient): Promise<SealStatus> {
  return waitFor('unsealed', async () => {
    const status = await vault.sealStatus().catch(() => undefined);
    return status && !status.sealed ? status : undefined;
  }, { timeoutMs: 60_000, intervalMs: 100 });
}

describe('VaultClient with an auto-unseal seal on real OpenBao: recovery shares and Shamir → transit migration', () => {
  let kms: VaultServer;
  let shamir: VaultServer;
  let fresh: VaultServer;

  beforeAll(async () => {
    [kms, shamir, fresh] = await Promise.all([
      startVault({ mode: 'dev' }),
      startVault({ mode: 'sealed', initialize: { shares: 3, threshold: 2 } }),
      startVault({ mode: 'sealed' }),
    ]);
    const kmsClient = new VaultClient({ address: kms.address, token: kms.token });
    await kmsClient.enableSecretsEngine('transit', { type: 'transit' });
    await kmsClient.transitCreateKey('autounseal');
  }, 180_000);
  afterAll(() => Promise.all([kms?.stop(), shamir?.stop(), fresh?.stop()]));

  it('initialises a transit-sealed server with recovery shares; it unseals itself', async () => {
    await fresh.appendConfig!(transitSeal(kms));
    await fresh.restart();
    const vault = new VaultClient({ address: fresh.address });
    expect(await vault.sealStatus()).toMatchObject({ type: 'transit', initialized: false });

    const init = await vault.init({ recovery_shares: 3, recovery_threshold: 2 });
    expect(init.recovery_keys).toHaveLength(3);
    expect(init.recovery_keys_base64).toHaveLength(3);
    expect(init.keys).toEqual([]);
    expect(init.root_token).not.toBe('');
    expect(await untilUnsealed(vault)).toMatchObject({ type: 'transit', recovery_seal: true, t: 2, n: 3 });
  }, 120_000);

  it('migrates Shamir → transit: unseal without migrate is refused, with migrate it completes', async () => {
    const keys = shamir.init!.keys;
    await shamir.appendConfig!(transitSeal(kms));
    await shamir.restart();
    const vault = new VaultClient({ address: shamir.address });
    expect(await vault.sealStatus()).toMatchObject({ sealed: true, migration: true });

    await expect(vault.unseal(keys[0]!)).rejects.toMatchObject({
      status: 500,
      path: 'sys/unseal',
      errors: ['migrate option not provided and seal migration is pending'],
    });
    expect(await vault.unseal(keys[0]!, { migrate: true })).toMatchObject({ sealed: true, progress: 1, migration: true });
    expect(await vault.unseal(keys[2]!, { migrate: true })).toMatchObject({ sealed: false });
    expect(await untilUnsealed(vault)).toMatchObject({ type: 'transit', recovery_seal: true });

    await shamir.restart();
    expect(await untilUnsealed(vault)).toMatchObject({ type: 'transit', migration: false });
  }, 120_000);
});
