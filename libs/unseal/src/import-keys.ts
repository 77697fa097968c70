import type { Kms } from '@opzero/kms';
import type { KeyStore } from './key-store';
import { shareContext, type StoredKeys } from './stored-keys';

/**
 * Stores unseal shares of a Vault initialised elsewhere (by hand, or by another tool), each
 * encrypted by the KMS under its position's context, so the keeper can unseal that Vault. Like
 * init, it never overwrites keys already stored (KeyStoreConflict). `shares` are hex.
 */
export async function importUnsealKeys(store: KeyStore, kms: Kms, shares: readonly string[], options: { threshold: number; cluster: string }): Promise<StoredKeys> {
  const keys: StoredKeys = {
    format: 'opzero-unseal/v1',
    state: 'complete',
    kind: 'unseal',
    createdAt: new Date().toISOString(),
    threshold: options.threshold,
    shares: await Promise.all(shares.map((share, i) => kms.encrypt(Buffer.from(share, 'hex'), shareContext(options.cluster, i)))),
  };
  await store.create(keys);
  return keys;
}
