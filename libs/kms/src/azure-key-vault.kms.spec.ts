import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import type { CryptographyClient } from '@azure/keyvault-keys';
import { AzureKeyVaultKms, type AzureKeyWrapper } from './azure-key-vault.kms';

// No Azure Key Vault emulator can run here, so the provider is checked at its own boundary: the
// two CryptographyClient methods it calls, implemented with real RSA-OAEP-256 (SHA-256, MGF1
// SHA-256, as Key Vault's RSA-OAEP-256 is defined) by node:crypto. The type check below keeps
// the boundary identical to the SDK's client.
const sdkClientFits: (client: CryptographyClient) => AzureKeyWrapper = (client) => client;

function rsaWrapper(keyId: string, pair = generateKeyPairSync('rsa', { modulusLength: 2048 })) {
  const calls: string[] = [];
  const oaep = (key: KeyObject) => ({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' });
  const wrapper: AzureKeyWrapper = {
    async wrapKey(algorithm, key) {
      calls.push(`wrap ${algorithm}`);
      return { result: publicEncrypt(oaep(pair.publicKey), key), keyID: `${keyId}/v1` };
    },
    async unwrapKey(algorithm, encryptedKey) {
      calls.push(`unwrap ${algorithm}`);
      try {
        return { result: privateDecrypt(oaep(pair.privateKey), encryptedKey) };
      } catch (error) {
        throw Object.assign(new Error('Operation decrypt failed'), { statusCode: 400, cause: error });
      }
    },
  };
  return { wrapper, calls };
}

describe('AzureKeyVaultKms', () => {
  const vaultUrl = 'https://opzero-test.vault.azure.net';
  const keyPrefix = `${vaultUrl}/keys/unseal`;
  const share = randomBytes(33);

  it('wraps a fresh data key with RSA-OAEP-256 and round-trips through the versioned key id', async () => {
    const { wrapper, calls } = rsaWrapper(keyPrefix);
    const used: string[] = [];
    const kms = new AzureKeyVaultKms({ vaultUrl, keyName: 'unseal', wrapperFor: (id) => (used.push(id), wrapper) });
    const ciphertext = await kms.encrypt(share, 'ctx');
    expect(ciphertext).toMatchObject({ provider: 'azure-key-vault', keyId: `${keyPrefix}/v1` });
    expect(Buffer.from(await kms.decrypt(ciphertext, 'ctx'))).toEqual(share);
    expect(calls).toEqual(['wrap RSA-OAEP-256', 'unwrap RSA-OAEP-256']);
    expect(used).toEqual([keyPrefix, `${keyPrefix}/v1`]);
    expect(sdkClientFits).toBeInstanceOf(Function);
  });

  it('rejects another context, another RSA key, and key ids outside the configured key', async () => {
    const kms = new AzureKeyVaultKms({ vaultUrl, keyName: 'unseal', wrapperFor: () => rsaWrapper(keyPrefix).wrapper });
    const other = rsaWrapper(keyPrefix).wrapper;
    const mine = rsaWrapper(keyPrefix).wrapper;
    const a = new AzureKeyVaultKms({ vaultUrl, keyName: 'unseal', wrapperFor: () => mine });
    const ciphertext = await a.encrypt(share, 'ctx');
    await expect(a.decrypt(ciphertext, 'other')).rejects.toMatchObject({ failure: 'rejected' });
    await expect(new AzureKeyVaultKms({ vaultUrl, keyName: 'unseal', wrapperFor: () => other }).decrypt(ciphertext, 'ctx')).rejects.toMatchObject({
      failure: 'rejected',
    });
    await expect(kms.decrypt({ ...ciphertext, keyId: 'https://evil.example/keys/unseal/v1' }, 'ctx')).rejects.toThrow(/not the configured/);
  });

  it('reports an unreachable vault as unavailable', async () => {
    const down: AzureKeyWrapper = {
      wrapKey: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
      unwrapKey: () => Promise.reject(Object.assign(new Error('Too many requests'), { statusCode: 429 })),
    };
    const kms = new AzureKeyVaultKms({ vaultUrl, keyName: 'unseal', wrapperFor: () => down });
    await expect(kms.encrypt(share, 'ctx')).rejects.toMatchObject({ failure: 'unavailable', operation: 'encrypt' });
  });
});
