import type { Kms } from '@opzero/kms';
import type { KeyStore, Revisioned } from './key-store';
import { shareContext, type StoredKeys } from './stored-keys';
import { UnsealFailure } from './unseal-failure';

/**
 * Reads the stored shares and decrypts them with the KMS, on demand: plaintext shares live in
 * memory only for the duration of one unseal attempt, as hex strings the caller submits.
 */
export class ShareSource {
  constructor(
    readonly store: KeyStore,
    readonly kms: Kms,
    /** The cluster name bound into each share's KMS context. */
    readonly cluster: string,
  ) {}

  /** The stored document, or a `shares-missing` failure saying why there is none to use. */
  async stored(): Promise<Revisioned<StoredKeys>> {
    let stored: Revisioned<StoredKeys> | undefined;
    try {
      stored = await this.store.load();
    } catch (error) {
      throw new UnsealFailure('shares-missing', `${this.store.description} could not be read: ${(error as Error).message}`);
    }
    if (!stored) throw new UnsealFailure('shares-missing', `${this.store.description} holds no keys (run init, or store the keys there)`);
    if (stored.value.state !== 'complete') {
      throw new UnsealFailure(
        'shares-missing',
        `${this.store.description} holds only the write-ahead record of an init that did not finish: Vault's answer with the shares was never stored. ` +
          'If this Vault holds no data yet, wipe its storage and run init again.',
      );
    }
    return stored;
  }

  /**
   * `needed` plaintext shares (hex). Every stored share is decrypted in parallel and the first
   * `needed` that decrypt are used, so one corrupted share does not block an unseal.
   */
  async shares(needed: number): Promise<string[]> {
    const { value } = await this.stored();
    if (value.shares.length < needed) {
      throw new UnsealFailure('shares-missing', `${this.store.description} holds ${value.shares.length} shares, the node needs ${needed}`);
    }
    const results = await Promise.allSettled(value.shares.map((share, index) => this.kms.decrypt(share, shareContext(this.cluster, index))));
    const plain = results.flatMap((result) => (result.status === 'fulfilled' ? [Buffer.from(result.value)] : []));
    try {
      if (plain.length >= needed) return plain.slice(0, needed).map((share) => share.toString('hex'));
    } finally {
      for (const share of plain) share.fill(0);
    }
    const firstError = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason as Error & { failure?: string };
    const reason = firstError?.failure === 'unavailable' ? 'kms-unavailable' : 'shares-rejected';
    throw new UnsealFailure(
      reason,
      `only ${plain.length} of ${value.shares.length} shares in ${this.store.description} decrypt with ${this.kms.provider} key ${this.kms.keyId} (need ${needed}): ${firstError?.message ?? 'unknown error'}`,
    );
  }
}
