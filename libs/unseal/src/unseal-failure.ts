import { KmsError } from '@opzero/kms';
import type { unsealFailureReason } from '@opzero/contracts';
import { VaultError } from '@opzero/vault';
import type { z } from 'zod';

/** The closed set of reasons in libs/contracts. */
export type UnsealFailureReason = z.infer<typeof unsealFailureReason>;

/** An unseal attempt failed for a reason consumers can alert on; the message holds no key material. */
export class UnsealFailure extends Error {
  override readonly name = 'UnsealFailure';
  constructor(
    readonly reason: UnsealFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Maps what went wrong to a reason. KMS `rejected` (wrong key, corrupted or swapped ciphertext)
 * and Vault refusing a share are both `shares-rejected`: the stored shares are not usable as
 * they are. Vault not answering is `node-unreachable`, or `timeout` when it answered too late.
 */
export function toUnsealFailure(error: unknown): UnsealFailure {
  if (error instanceof UnsealFailure) return error;
  if (error instanceof KmsError) return new UnsealFailure(error.failure === 'rejected' ? 'shares-rejected' : 'kms-unavailable', error.message);
  if (error instanceof VaultError) {
    if (error.code === 'timeout') return new UnsealFailure('timeout', error.message);
    if (error.status === 400) return new UnsealFailure('shares-rejected', error.message);
    return new UnsealFailure('node-unreachable', error.message);
  }
  return new UnsealFailure('node-unreachable', error instanceof Error ? error.message : String(error));
}

/** Defence in depth: removes any of `secrets` from a message before it leaves the process. */
export function withoutSecrets(message: string, secrets: readonly string[]): string {
  let clean = message;
  for (const secret of secrets) if (secret.length >= 8) clean = clean.split(secret).join('[redacted]');
  return clean.slice(0, 2048);
}
