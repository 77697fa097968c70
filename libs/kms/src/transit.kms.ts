import type { VaultClient } from '@opzero/vault';
import { VaultError } from '@opzero/vault';
import { KmsError, messageOf, type Ciphertext, type Kms } from './kms';

export interface TransitKmsOptions {
  /** A client for the KMS Vault/OpenBao, with a token allowed `update` on `<mount>/encrypt/<key>` and `<mount>/decrypt/<key>`. */
  client: VaultClient;
  /** Transit key name; an AEAD key (aes256-gcm96, the default type), so the context is authenticated. */
  key: string;
  mount?: string;
}

/**
 * Vault/OpenBao transit as the KMS (Vault's own `seal "transit"` does the same). The context is
 * sent as transit's `associated_data`: a ciphertext decrypted under another context fails.
 */
export class TransitKms implements Kms {
  readonly provider = 'transit' as const;
  readonly keyId: string;
  private readonly mount: string;

  constructor(private readonly options: TransitKmsOptions) {
    this.mount = options.mount ?? 'transit';
    this.keyId = `${this.mount}/keys/${options.key}`;
  }

  async encrypt(plaintext: Uint8Array, context: string): Promise<Ciphertext> {
    const blob = await this.call('encrypt', () =>
      this.options.client.transitEncrypt(this.options.key, Buffer.from(plaintext), { mount: this.mount, associatedData: Buffer.from(context, 'utf8') }),
    );
    return { provider: this.provider, keyId: this.keyId, blob };
  }

  async decrypt(ciphertext: Ciphertext, context: string): Promise<Uint8Array> {
    if (!ciphertext.blob.startsWith('vault:v')) {
      throw new KmsError(this.provider, 'decrypt', 'rejected', `key ${this.keyId}: ciphertext is not a transit ciphertext (vault:v<N>:...)`);
    }
    return this.call('decrypt', () =>
      this.options.client.transitDecrypt(this.options.key, ciphertext.blob, { mount: this.mount, associatedData: Buffer.from(context, 'utf8') }),
    );
  }

  private async call<T>(operation: 'encrypt' | 'decrypt', run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // 400 is transit saying no to this ciphertext (wrong key, failed authentication, unknown
      // key); everything else (403, 5xx, sealed KMS, network) may pass.
      const failure = error instanceof VaultError && error.status === 400 ? 'rejected' : 'unavailable';
      throw new KmsError(this.provider, operation, failure, `key ${this.keyId}: ${messageOf(error)}`, { cause: error });
    }
  }
}
