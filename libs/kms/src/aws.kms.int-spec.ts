import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startAwsKms, type AwsKmsServer } from '@opzero/testing';
import { AwsKms } from './aws.kms';

describe('AwsKms against a real KMS API server (local-kms)', () => {
  let server: AwsKmsServer;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    server = await startAwsKms();
    const admin = new KMSClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
    keyA = (await admin.send(new CreateKeyCommand({ Description: 'opzero unseal A' }))).KeyMetadata?.Arn ?? '';
    keyB = (await admin.send(new CreateKeyCommand({ Description: 'opzero unseal B' }))).KeyMetadata?.Arn ?? '';
    admin.destroy();
  }, 60_000);
  afterAll(() => server?.stop());

  const kms = (keyId: string) => new AwsKms({ keyId, region: server.region, endpoint: server.endpoint, credentials: server.credentials });
  const share = Buffer.from('9f1c0aa2bd3e4f', 'hex');

  it('encrypts and decrypts a share under its key and context', async () => {
    const a = kms(keyA);
    const ciphertext = await a.encrypt(share, 'opzero-unseal/share/0');
    expect(ciphertext).toMatchObject({ provider: 'aws-kms', keyId: keyA });
    expect(Buffer.from(ciphertext.blob, 'base64').includes(share)).toBe(false);
    expect(Buffer.from(await a.decrypt(ciphertext, 'opzero-unseal/share/0'))).toEqual(share);
    a.destroy();
  });

  it('rejects the wrong key and the wrong context, and says so', async () => {
    const ciphertext = await kms(keyA).encrypt(share, 'opzero-unseal/share/0');
    await expect(kms(keyB).decrypt(ciphertext, 'opzero-unseal/share/0')).rejects.toMatchObject({ failure: 'rejected' });
    await expect(kms(keyA).decrypt(ciphertext, 'opzero-unseal/share/1')).rejects.toMatchObject({ failure: 'rejected' });
  });

  it('reports a stopped KMS as unavailable', async () => {
    const a = kms(keyA);
    const ciphertext = await a.encrypt(share, 'c');
    await server.kill();
    try {
      await expect(a.decrypt(ciphertext, 'c')).rejects.toMatchObject({ failure: 'unavailable', operation: 'decrypt' });
    } finally {
      await server.restart();
    }
    expect(Buffer.from(await a.decrypt(ciphertext, 'c'))).toEqual(share);
  });
});
