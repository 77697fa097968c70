import { DecryptCommand, EncryptCommand, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { KmsError, messageOf, type Ciphertext, type Kms } from './kms';

export interface AwsKmsOptions {
  /** Key id, ARN or `alias/<name>`. */
  keyId: string;
  region: string;
  /** A KMS-compatible endpoint (VPC endpoint, local KMS for tests); default the region's. */
  endpoint?: string;
  /** Static credentials; by default the SDK's chain (IRSA, instance role, env). */
  credentials?: KMSClientConfig['credentials'];
}

/** Errors where KMS answered that this ciphertext cannot be decrypted as asked. */
const REJECTED = new Set(['InvalidCiphertextException', 'IncorrectKeyException', 'InvalidKeyUsageException']);

/** AWS KMS through the official SDK; the context goes in as the encryption context. */
export class AwsKms implements Kms {
  readonly provider = 'aws-kms' as const;
  readonly keyId: string;
  private readonly client: KMSClient;

  constructor(options: AwsKmsOptions) {
    this.keyId = options.keyId;
    this.client = new KMSClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: 2,
    });
  }

  async encrypt(plaintext: Uint8Array, context: string): Promise<Ciphertext> {
    const result = await this.call('encrypt', () =>
      this.client.send(new EncryptCommand({ KeyId: this.keyId, Plaintext: plaintext, EncryptionContext: { opzero: context } })),
    );
    if (!result.CiphertextBlob) throw new KmsError(this.provider, 'encrypt', 'unavailable', `key ${this.keyId}: no ciphertext in the answer`);
    return { provider: this.provider, keyId: result.KeyId ?? this.keyId, blob: Buffer.from(result.CiphertextBlob).toString('base64') };
  }

  async decrypt(ciphertext: Ciphertext, context: string): Promise<Uint8Array> {
    const result = await this.call('decrypt', () =>
      this.client.send(
        // KeyId pins the key: KMS refuses a ciphertext made under any other key (IncorrectKeyException).
        new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: Buffer.from(ciphertext.blob, 'base64'), EncryptionContext: { opzero: context } }),
      ),
    );
    if (!result.Plaintext) throw new KmsError(this.provider, 'decrypt', 'unavailable', `key ${this.keyId}: no plaintext in the answer`);
    return result.Plaintext;
  }

  /** Closes the SDK's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  private async call<T>(operation: 'encrypt' | 'decrypt', run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const failure = REJECTED.has((error as { name?: string }).name ?? '') ? 'rejected' : 'unavailable';
      throw new KmsError(this.provider, operation, failure, `key ${this.keyId}: ${messageOf(error)}`, { cause: error });
    }
  }
}
