import { startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, type InitResult } from './index';

describe('VaultClient sys: health, init, unseal (reset, migrate) and seal on a real OpenBao (sealed mode, raft)', () => {
  let server: VaultServer;
  let vault: VaultClient;
  let init: InitResult;

  beforeAll(async () => {
    server = await startVault({ mode: 'sealed' });
    vault = new VaultClient({ address: server.address });
  }, 120_000);
  afterAll(() => server?.stop());

  it('reports an uninitialised server in health (HTTP 501, returned as a status) and init status', async () => {
    expect(await vault.initStatus()).toBe(false);
    expect(await vault.health()).toMatchObject({ initialized: false, sealed: true, standby: true });
    expect(await vault.sealStatus()).toMatchObject({ initialized: false, sealed: true, type: 'shamir' });
  });

  it('refuses recovery shares on a Shamir seal, naming them', async () => {
    const error = await vault.init({ recovery_shares: 3, recovery_threshold: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VaultError', status: 400, path: 'sys/init' });
    expect((error as Error).message).toMatch(/recovery/);
    expect(await vault.initStatus()).toBe(false);
  });

  it('initialises with Shamir shares and stays sealed', async () => {
    init = await vault.init({ secret_shares: 3, secret_threshold: 2 });
    expect(init.keys).toHaveLength(3);
    expect(init.keys_base64).toHaveLength(3);
    expect(init.root_token).not.toBe('');
    expect(await vault.initStatus()).toBe(true);
    expect(await vault.sealStatus()).toMatchObject({ initialized: true, sealed: true, t: 2, n: 3, progress: 0, migration: false });
    expect(await vault.health()).toMatchObject({ initialized: true, sealed: true });
    await expect(vault.init({ secret_shares: 1, secret_threshold: 1 })).rejects.toMatchObject({ status: 400, errors: ['Vault is already initialized'] });
  });

  it('resets unseal progress, discarding a submitted share', async () => {
    const first = await vault.unseal(init.keys[0]!);
    expect(first).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unsealReset()).toMatchObject({ sealed: true, progress: 0 });
    expect(await vault.sealStatus()).toMatchObject({ progress: 0 });
  });

  it('sends migrate: a server with no migration seal configured refuses it and counts no progress', async () => {
    // OpenBao answers 500 here; without the flag the same share would have counted as progress.
    await expect(vault.unseal(init.keys[0]!, { migrate: true })).rejects.toMatchObject({
      status: 500,
      path: 'sys/unseal',
      errors: ["can't perform a seal migration, no migration seal found"],
    });
    expect(await vault.sealStatus()).toMatchObject({ sealed: true, progress: 0 });
  });

  it('unseals with base64 shares, then health answers active', async () => {
    expect(await vault.unseal(init.keys_base64[2]!)).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unseal(init.keys_base64[1]!)).toMatchObject({ sealed: false, progress: 0 });
    const health = await waitForActive(vault);
    expect(health).toMatchObject({ initialized: true, sealed: false, standby: false });
  });

  it('seals with the root token; without a token the seal is refused', async () => {
    await expect(vault.seal()).rejects.toMatchObject({ status: 403 });
    expect((await vault.sealStatus()).sealed).toBe(false);
    await vault.withToken(init.root_token).seal();
    expect(await vault.sealStatus()).toMatchObject({ sealed: true, progress: 0 });
    expect(await vault.health({ sealedcode: 200 })).toMatchObject({ sealed: true });
  });
});

/** Raft elects itself leader shortly after unseal; until then health says standby. */
async function waitForActive(vault: VaultClient) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const health = await vault.health();
    if (!health.standby) return health;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return vault.health();
}
