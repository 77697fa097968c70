import { randomBytes } from 'node:crypto';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { CryptographyClient, type KeyWrapAlgorithm } from '@azure/keyvault-keys';
import { openAesGcm, sealAesGcm } from './aes-gcm';
import { KmsError, messageOf, type Ciphertext, type Kms } from './kms';

/** The part of the SDK's CryptographyClient this provider uses (the test boundary). */
export interface AzureKeyWrapper {
  wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array): Promise<{ result: Uint8Array; keyID?: string }>;
  unwrapKey(algorithm: KeyWrapAlgorithm, encryptedKey: Uint8Array): Promise<{ result: Uint8Array }>;
}

export interface AzureKeyVaultKmsOptions {
  /** `https://<vault>.vault.azure.net` */
  vaultUrl: string;
  /** An RSA key in that vault (RSA-HSM in production). */
  keyName: string;
  /** Pin a key version; by default the current version wraps and each ciphertext names its own. */
  keyVersion?: string;
  /** Defaults to DefaultAzureCredential (workload identity, managed identity, env, CLI). */
  credential?: TokenCredential;
  /** Test seam: the client for one key id (defaults to the SDK's CryptographyClient). */
  wrapperFor?: (keyId: string) => AzureKeyWrapper;
}

const ALGORITHM: KeyWrapAlgorithm = 'RSA-OAEP-256';
const SEPARATOR = '.';

/**
 * Azure Key Vault, as the seed's `seal "azurekeyvault"` uses it: envelope encryption. Each
 * plaintext gets a fresh 256-bit data key; the plaintext is sealed with AES-256-GCM (context as
 * associated data, which RSA wrapping alone cannot bind) and the data key is wrapped by the
 * vault's RSA key with RSA-OAEP-256. The blob is `<wrapped key b64>.<iv|tag|ciphertext b64>`.
 */
export class AzureKeyVaultKms implements Kms {
  readonly provider = 'azure-key-vault' as const;
  readonly keyId: string;
  private readonly keyPrefix: string;
  private readonly wrapperFor: (keyId: string) => AzureKeyWrapper;

  constructor(options: AzureKeyVaultKmsOptions) {
    const vault = options.vaultUrl.replace(/\/+$/, '');
    this.keyPrefix = `${vault}/keys/${options.keyName}`;
    this.keyId = options.keyVersion ? `${this.keyPrefix}/${options.keyVersion}` : this.keyPrefix;
    const credential = options.credential ?? (options.wrapperFor ? undefined : new DefaultAzureCredential());
    this.wrapperFor = options.wrapperFor ?? ((keyId) => new CryptographyClient(keyId, credential as TokenCredential));
  }

  async encrypt(plaintext: Uint8Array, context: string): Promise<Ciphertext> {
    const dataKey = randomBytes(32);
    try {
      const wrapped = await this.call('encrypt', () => this.wrapperFor(this.keyId).wrapKey(ALGORITHM, dataKey));
      const sealed = sealAesGcm(dataKey, plaintext, context);
      const keyId = wrapped.keyID ?? this.keyId;
      return { provider: this.provider, keyId, blob: `${Buffer.from(wrapped.result).toString('base64')}${SEPARATOR}${sealed.toString('base64')}` };
    } finally {
      dataKey.fill(0);
    }
  }

  async decrypt(ciphertext: Ciphertext, context: string): Promise<Uint8Array> {
    // The key id comes from the store: only ever send our credential to the configured key.
    if (ciphertext.keyId !== this.keyPrefix && !ciphertext.keyId.startsWith(`${this.keyPrefix}/`)) {
      throw new KmsError(this.provider, 'decrypt', 'rejected', `ciphertext names key ${ciphertext.keyId}, not the configured ${this.keyPrefix}`);
    }
    const [wrappedText, sealedText, extra] = ciphertext.blob.split(SEPARATOR);
    if (!wrappedText || !sealedText || extra !== undefined) {
      throw new KmsError(this.provider, 'decrypt', 'rejected', 'ciphertext is not <wrapped key>.<sealed data>');
    }
    const unwrapped = await this.call('decrypt', () => this.wrapperFor(ciphertext.keyId).unwrapKey(ALGORITHM, Buffer.from(wrappedText, 'base64')));
    const dataKey = Buffer.from(unwrapped.result);
    try {
      const plaintext = dataKey.length === 32 ? openAesGcm(dataKey, Buffer.from(sealedText, 'base64'), context) : undefined;
      if (!plaintext) throw new KmsError(this.provider, 'decrypt', 'rejected', `ciphertext does not authenticate under ${ciphertext.keyId} and its context`);
      return plaintext;
    } finally {
      dataKey.fill(0);
    }
  }

  private async call<T>(operation: 'encrypt' | 'decrypt', run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // Key Vault answers 400 when the wrapped key does not decrypt under this RSA key; anything
      // else (auth, throttling, network, missing or disabled key) may pass.
      const status = (error as { statusCode?: number }).statusCode;
      const failure = status === 400 ? 'rejected' : 'unavailable';
      throw new KmsError(this.provider, operation, failure, `key ${this.keyId}: ${messageOf(error)}`, { cause: error });
    }
  }
}
