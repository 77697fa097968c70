import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openAesGcm, sealAesGcm } from './aes-gcm';
import { KmsError, type Ciphertext, type Kms } from './kms';

/** The warning every start with a local key file prints: the key sits beside the data it protects. */
export const LOCAL_KEY_FILE_WARNING =
  'KMS provider local-key-file is for DEVELOPMENT ONLY: the AES key is a file on this machine, so anyone who can read it and the key store can unseal Vault. Use transit, aws-kms or azure-key-vault in production.';

/**
 * Development KMS: AES-256-GCM with a 32-byte key read from a file (base64 or hex text, e.g.
 * `openssl rand -base64 32`). The key id is a fingerprint, so a different key file is reported
 * as such instead of as a corrupted share.
 */
export class LocalKeyFileKms implements Kms {
  readonly provider = 'local-key-file' as const;
  readonly keyId: string;

  private constructor(private readonly key: Buffer) {
    this.keyId = `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  /** Reads the key file; throws naming the file when it does not hold 32 bytes. */
  static async fromFile(path: string): Promise<LocalKeyFileKms> {
    const text = (await readFile(path, 'utf8')).trim();
    const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
    if (key.length !== 32) throw new Error(`local KMS key file ${path}: expected 32 bytes as base64 or hex, got ${key.length} bytes`);
    return new LocalKeyFileKms(key);
  }

  /** A KMS over an in-memory key (tests, tools). */
  static fromKey(key: Uint8Array): LocalKeyFileKms {
    if (key.length !== 32) throw new Error(`local KMS key: expected 32 bytes, got ${key.length}`);
    return new LocalKeyFileKms(Buffer.from(key));
  }

  async encrypt(plaintext: Uint8Array, context: string): Promise<Ciphertext> {
    return { provider: this.provider, keyId: this.keyId, blob: sealAesGcm(this.key, plaintext, context).toString('base64') };
  }

  async decrypt(ciphertext: Ciphertext, context: string): Promise<Uint8Array> {
    if (ciphertext.keyId !== this.keyId) {
      throw new KmsError(this.provider, 'decrypt', 'rejected', `ciphertext was made with key ${ciphertext.keyId}, this key file is ${this.keyId}`);
    }
    const plaintext = openAesGcm(this.key, Buffer.from(ciphertext.blob, 'base64'), context);
    if (!plaintext) throw new KmsError(this.provider, 'decrypt', 'rejected', `ciphertext does not authenticate under key ${this.keyId} and its context`);
    return plaintext;
  }
}
