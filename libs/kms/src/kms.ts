/** The KMS providers opzero can keep unseal shares with. */
export type KmsProviderName = 'transit' | 'aws-kms' | 'azure-key-vault' | 'local-key-file';

/** What a provider returned for one plaintext: enough to find the key again and decrypt. */
export interface Ciphertext {
  provider: KmsProviderName;
  /** The key that encrypted it (transit key name, AWS key ARN, Azure key id with version, local key fingerprint). */
  keyId: string;
  /** Provider-specific ciphertext text (base64 or `vault:v1:...`); never plaintext. */
  blob: string;
}

/**
 * Encrypts and decrypts small secrets (unseal shares, root tokens) with a key that never leaves
 * the KMS. `context` is bound to the ciphertext (AEAD associated data, or AWS encryption
 * context): a share decrypted under another context fails, so shares cannot be swapped
 * between stores or positions unnoticed.
 */
export interface Kms {
  readonly provider: KmsProviderName;
  /** The configured key (for logs and events: a name, never material). */
  readonly keyId: string;
  encrypt(plaintext: Uint8Array, context: string): Promise<Ciphertext>;
  decrypt(ciphertext: Ciphertext, context: string): Promise<Uint8Array>;
}

/**
 * Why a KMS call failed. `unavailable`: the KMS could not be asked (network, throttling,
 * permissions, disabled or missing key) and a retry may succeed. `rejected`: the KMS answered
 * that this ciphertext cannot be decrypted with this key and context (wrong key, corrupted or
 * swapped ciphertext); retrying will not help.
 */
export type KmsFailure = 'unavailable' | 'rejected';

/** A KMS operation failed. The message names provider, key and operation, never plaintext. */
export class KmsError extends Error {
  override readonly name = 'KmsError';
  constructor(
    readonly provider: KmsProviderName,
    readonly operation: 'encrypt' | 'decrypt',
    readonly failure: KmsFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} ${operation}: ${detail}`, options);
  }
}

/** The error's own message, for wrapping SDK errors into a KmsError detail. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
