import type { Ciphertext } from '@opzero/kms';
import { z } from 'zod';

const MAX_SHARES = 10;

const ciphertextSchema = z
  .object({
    provider: z.enum(['transit', 'aws-kms', 'azure-key-vault', 'local-key-file']),
    keyId: z.string().min(1).max(1024),
    blob: z.string().min(1).max(16_384),
  })
  .strict();

/**
 * What a key store holds for one Vault cluster: one document, written in one atomic operation,
 * so a reader never sees half a set of shares. `pending-init` is the write-ahead record made
 * before `sys/init` is called (see initializeVault); `complete` holds every share.
 */
export const storedKeysSchema = z
  .object({
    format: z.literal('opzero-unseal/v1'),
    state: z.enum(['pending-init', 'complete']),
    /** `unseal`: Shamir unseal shares; `recovery`: recovery shares of an auto-unseal seal. */
    kind: z.enum(['unseal', 'recovery']),
    createdAt: z.string().max(64),
    threshold: z.number().int().min(1).max(MAX_SHARES),
    shares: z.array(ciphertextSchema).max(MAX_SHARES),
    rootToken: ciphertextSchema.optional(),
  })
  .strict();

export type StoredKeys = z.infer<typeof storedKeysSchema>;

/** Parses a stored document (the store is not trusted to be well-formed); the error names the store. */
export function parseStoredKeys(text: string, where: string): StoredKeys {
  if (text.length > 256 * 1024) throw new Error(`${where}: stored keys are larger than 256 KiB`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where}: stored keys are not JSON`);
  }
  const result = storedKeysSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${where}: stored keys are invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  return result.data;
}

/**
 * The KMS context of each secret: the cluster name and the position, so a share moved to
 * another position or another cluster's store does not decrypt.
 */
export const shareContext = (cluster: string, index: number): string => `opzero-unseal/${cluster}/share/${index}`;
export const rootTokenContext = (cluster: string): string => `opzero-unseal/${cluster}/root-token`;

export type { Ciphertext };
