import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsError } from './kms';
import { LocalKeyFileKms } from './local-key-file.kms';

describe('LocalKeyFileKms', () => {
  const share = Buffer.from('c2hhcmUtb25lLXBsYWludGV4dA', 'utf8');

  it('round-trips a share and never puts the plaintext in the blob', async () => {
    const kms = LocalKeyFileKms.fromKey(randomBytes(32));
    const ciphertext = await kms.encrypt(share, 'store/share/0');
    expect(ciphertext.blob).not.toContain(share.toString('base64'));
    expect(Buffer.from(await kms.decrypt(ciphertext, 'store/share/0'))).toEqual(share);
  });

  it('rejects another context, another key and flipped bits', async () => {
    const kms = LocalKeyFileKms.fromKey(randomBytes(32));
    const ciphertext = await kms.encrypt(share, 'store/share/0');
    await expect(kms.decrypt(ciphertext, 'store/share/1')).rejects.toMatchObject({ failure: 'rejected' });
    await expect(LocalKeyFileKms.fromKey(randomBytes(32)).decrypt(ciphertext, 'store/share/0')).rejects.toThrow(/made with key sha256:/);
    const bytes = Buffer.from(ciphertext.blob, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    await expect(kms.decrypt({ ...ciphertext, blob: bytes.toString('base64') }, 'store/share/0')).rejects.toBeInstanceOf(KmsError);
  });

  it('reads base64 and hex key files and names a bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kms-'));
    const key = randomBytes(32);
    await writeFile(join(dir, 'b64'), `${key.toString('base64')}\n`);
    await writeFile(join(dir, 'hex'), key.toString('hex'));
    await writeFile(join(dir, 'short'), randomBytes(16).toString('base64'));
    const fromB64 = await LocalKeyFileKms.fromFile(join(dir, 'b64'));
    const fromHex = await LocalKeyFileKms.fromFile(join(dir, 'hex'));
    expect(fromHex.keyId).toBe(fromB64.keyId);
    expect(Buffer.from(await fromHex.decrypt(await fromB64.encrypt(share, 'c'), 'c'))).toEqual(share);
    await expect(LocalKeyFileKms.fromFile(join(dir, 'short'))).rejects.toThrow(/short: expected 32 bytes as base64 or hex, got 16 bytes/);
  });
});
