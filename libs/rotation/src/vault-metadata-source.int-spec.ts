// VaultMetadataSource on a real OpenBao 2.7.2: current versions of a folder in one listing
// (detailed-metadata) with the documented policy, per-path reads for a token without `list`,
// and neither token able to read a secret value.
import { startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, VaultError } from '@opzero/vault';
import { VaultMetadataSource } from './vault-metadata-source';

jest.setTimeout(120_000);

let vault: VaultServer;
let root: VaultClient;

const tokenWith = async (policy: string) => {
  const name = `p-${Math.random().toString(36).slice(2)}`;
  await root.writePolicy(name, policy);
  const created = (await root.write<unknown>('auth/token/create', { policies: [name], no_default_policy: true, ttl: '10m' })) as unknown as { auth: { client_token: string } };
  return root.withToken(created.auth.client_token);
};

beforeAll(async () => {
  vault = await startVault({ mode: 'dev' });
  root = new VaultClient({ address: vault.address, token: vault.token });
  await root.kvWrite('secret', 'shop/db', { password: 'one' });
  await root.kvWrite('secret', 'shop/db', { password: 'two' });
  await root.kvWrite('secret', 'shop/api', { key: 'k' });
  await root.kvWrite('secret', 'shop/deeper/x', { key: 'k' });
  await root.kvWrite('secret', 'top', { key: 'k' });
});

afterAll(async () => {
  await vault?.stop();
});

describe('VaultMetadataSource on OpenBao', () => {
  it('lists a folder’s current versions in one request with the documented policy, sub-folders left out', async () => {
    const client = await tokenWith('path "secret/metadata/*" { capabilities = ["read"] }\npath "secret/detailed-metadata/*" { capabilities = ["list"] }');
    const source = new VaultMetadataSource(client);
    const shop = await source.folderVersions('secret', 'shop');
    expect([...(shop ?? new Map()).entries()].map(([name, current]) => [name, current.version]).sort()).toEqual([
      ['api', 1],
      ['db', 2],
    ]);
    expect(shop?.get('db')?.changedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The mount's own folder (keys at the top level).
    expect((await source.folderVersions('secret', ''))?.get('top')?.version).toBe(1);
    // A folder with nothing in it cannot be told from a server without the endpoint: read per path.
    expect(await source.folderVersions('secret', 'nothing-here')).toBeUndefined();
    await expect(client.kvRead('secret', 'shop/db')).rejects.toBeInstanceOf(VaultError);
  });

  it('answers undefined (read per path) for a token that may read metadata but not list it', async () => {
    const client = await tokenWith('path "secret/metadata/*" { capabilities = ["read"] }');
    const source = new VaultMetadataSource(client);
    expect(await source.folderVersions('secret', 'shop')).toBeUndefined();
    expect((await source.currentVersion('secret', 'shop/db'))?.version).toBe(2);
    expect(await source.currentVersion('secret', 'shop/missing')).toBeUndefined();
  });
});
