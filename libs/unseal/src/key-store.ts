import type { StoredKeys } from './stored-keys';

/** A stored document and the store's revision of it (for compare-and-set). */
export interface Revisioned<T> {
  value: T;
  revision: string;
}

/**
 * Where the encrypted shares live: a Kubernetes Secret, a Consul KV key or a file. Every write is
 * a compare-and-set, so two writers (two keepers, or an operator) can never silently overwrite
 * each other's keys.
 */
export interface KeyStore {
  /** `file /var/lib/opzero/keys.json`, `consul kv opzero/unseal/keys`: for messages, no secrets. */
  readonly description: string;
  /** The stored keys, or undefined when the store holds none. */
  load(): Promise<Revisioned<StoredKeys> | undefined>;
  /** Writes the document only if the store holds nothing; KeyStoreConflict otherwise. */
  create(keys: StoredKeys): Promise<string>;
  /** Replaces the document only if it is still at `revision`; KeyStoreConflict otherwise. */
  replace(keys: StoredKeys, revision: string): Promise<string>;
}

/** A compare-and-set write lost: someone else wrote the store first. */
export class KeyStoreConflict extends Error {
  override readonly name = 'KeyStoreConflict';
  constructor(store: string, expected: string) {
    super(`${store}: ${expected}; refusing to overwrite keys someone else wrote`);
  }
}
