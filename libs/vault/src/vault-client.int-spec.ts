import { startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, VaultError } from './index';

describe('VaultClient on a real OpenBao (dev)', () => {
  let server: VaultServer;
  let vault: VaultClient;

  beforeAll(async () => {
    server = await startVault({ mode: 'dev' });
    vault = new VaultClient({ address: server.address, token: server.token });
  }, 120_000);
  afterAll(() => server?.stop());

  it('writes and reads KV v2 versions', async () => {
    const first = await vault.kvWrite('secret', 'shop/db', { user: 'app', password: 'v1' });
    const second = await vault.kvWrite('secret', 'shop/db', { user: 'app', password: 'v2' });
    expect(second).toBe(first + 1);

    const latest = await vault.kvRead<{ password: string }>('secret', 'shop/db');
    expect(latest.data.password).toBe('v2');
    expect(latest.metadata.version).toBe(second);
    expect((await vault.kvRead<{ password: string }>('secret', 'shop/db', first)).data.password).toBe('v1');
  });

  it('reports a missing secret as a 404 VaultError with the path', async () => {
    await expect(vault.kvRead('secret', 'does/not/exist')).rejects.toMatchObject({
      name: 'VaultError',
      status: 404,
      path: 'secret/data/does/not/exist',
    });
  });

  it('rejects a bad token with 403 and never puts the token in the message', async () => {
    const error = await vault.withToken('not-a-token').kvRead('secret', 'shop/db').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).status).toBe(403);
    expect((error as VaultError).message).not.toContain('not-a-token');
  });
});

describe('seal and unseal through the HTTP API (sealed mode, raft storage)', () => {
  let server: VaultServer;

  beforeAll(async () => {
    server = await startVault({ mode: 'sealed', initialize: { shares: 5, threshold: 3 } });
  }, 120_000);
  afterAll(() => server?.stop());

  it('starts initialised and sealed, unseals with a threshold of shares, seals again', async () => {
    const vault = new VaultClient({ address: server.address, token: server.token });
    const keys = server.init?.keys ?? [];
    expect(keys).toHaveLength(5);
    expect(await vault.sealStatus()).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5, progress: 0 });

    expect(await vault.unseal(keys[0] as string)).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unseal(keys[3] as string)).toMatchObject({ sealed: true, progress: 2 });
    expect(await vault.unseal(keys[4] as string)).toMatchObject({ sealed: false, progress: 0 });

    await vault.seal();
    expect((await vault.sealStatus()).sealed).toBe(true);
  }, 60_000);

  it('comes back sealed after a restart, with its data', async () => {
    const vault = new VaultClient({ address: server.address, token: server.token });
    await server.restart();
    const status = await vault.sealStatus();
    expect(status).toMatchObject({ initialized: true, sealed: true });
  }, 60_000);

  it('survives a crash: killed and started again, it is still initialised and sealed', async () => {
    const vault = new VaultClient({ address: server.address });
    await server.kill();
    await expect(vault.sealStatus()).rejects.toThrow();
    await server.restart();
    expect(await vault.sealStatus()).toMatchObject({ initialized: true, sealed: true, n: 5, t: 3 });
  }, 60_000);

  it('accepts foreign shares as progress until the threshold, then refuses them and resets', async () => {
    // Shamir cannot check a single share; the server only finds out when it combines them.
    const vault = new VaultClient({ address: server.address });
    const foreign = ['01', '02', '03'].map((byte) => byte.repeat(33));
    expect(await vault.unseal(foreign[0] as string)).toMatchObject({ sealed: true, progress: 1 });
    expect(await vault.unseal(foreign[1] as string)).toMatchObject({ sealed: true, progress: 2 });
    await expect(vault.unseal(foreign[2] as string)).rejects.toMatchObject({ status: 400 });
    expect(await vault.sealStatus()).toMatchObject({ sealed: true, progress: 0 });
  });
});
