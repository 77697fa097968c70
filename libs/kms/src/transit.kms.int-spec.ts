import { startVault, type VaultServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { TransitKms } from './transit.kms';

describe('TransitKms on a real OpenBao (the KMS server)', () => {
  let kmsServer: VaultServer;
  let client: VaultClient;

  beforeAll(async () => {
    kmsServer = await startVault({ mode: 'dev' });
    client = new VaultClient({ address: kmsServer.address, token: kmsServer.token });
    await client.enableSecretsEngine('transit', { type: 'transit' });
    await client.transitCreateKey('unseal-a');
    await client.transitCreateKey('unseal-b');
  }, 120_000);
  afterAll(() => kmsServer?.stop());

  const share = Buffer.from('0b6e2f93d1aa', 'hex');

  it('round-trips a share; the ciphertext is transit text without the plaintext', async () => {
    const kms = new TransitKms({ client, key: 'unseal-a' });
    const ciphertext = await kms.encrypt(share, 'opzero-unseal/c1/share/0');
    expect(ciphertext).toMatchObject({ provider: 'transit', keyId: 'transit/keys/unseal-a' });
    expect(ciphertext.blob).toMatch(/^vault:v1:/);
    expect(ciphertext.blob).not.toContain(share.toString('base64'));
    expect(Buffer.from(await kms.decrypt(ciphertext, 'opzero-unseal/c1/share/0'))).toEqual(share);
  });

  it('rejects another key, another context (associated data) and a corrupted ciphertext', async () => {
    const ciphertext = await new TransitKms({ client, key: 'unseal-a' }).encrypt(share, 'ctx/0');
    const corrupted = { ...ciphertext, blob: `${ciphertext.blob.slice(0, -6)}AAAAAA` };
    await expect(new TransitKms({ client, key: 'unseal-b' }).decrypt(ciphertext, 'ctx/0')).rejects.toMatchObject({ failure: 'rejected' });
    await expect(new TransitKms({ client, key: 'unseal-a' }).decrypt(ciphertext, 'ctx/1')).rejects.toMatchObject({ failure: 'rejected' });
    await expect(new TransitKms({ client, key: 'unseal-a' }).decrypt(corrupted, 'ctx/0')).rejects.toMatchObject({ failure: 'rejected' });
  });

  it('reports a token without access as unavailable, naming the key and not the token', async () => {
    const kms = new TransitKms({ client: client.withToken('not-a-token-abcdef'), key: 'unseal-a' });
    const error = await kms.encrypt(share, 'ctx').catch((e: Error) => e);
    expect(error).toMatchObject({ failure: 'unavailable', operation: 'encrypt' });
    expect(String((error as Error).message)).toContain('transit/keys/unseal-a');
    expect(String((error as Error).message)).not.toContain('not-a-token-abcdef');
  });
});
