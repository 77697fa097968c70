import type { ConsulClient } from '@opzero/consul';
import { KeyStoreConflict, type KeyStore, type Revisioned } from './key-store';
import { parseStoredKeys, type StoredKeys } from './stored-keys';

/**
 * Keys in one Consul KV entry. Consul's check-and-set gives the atomic create (`cas=0`: only
 * if absent) and replace (`cas=<ModifyIndex>`). Protect the key with an ACL that only the
 * keeper's token can read.
 */
export class ConsulKeyStore implements KeyStore {
  readonly description: string;

  constructor(
    private readonly consul: ConsulClient,
    private readonly key: string,
  ) {
    this.description = `consul kv ${key}`;
  }

  async load(): Promise<Revisioned<StoredKeys> | undefined> {
    const { value: entry } = await this.consul.kvGet(this.key);
    if (!entry || entry.value === null) return undefined;
    return { value: parseStoredKeys(entry.value, this.description), revision: String(entry.modifyIndex) };
  }

  create(keys: StoredKeys): Promise<string> {
    return this.write(keys, 0, 'the key already exists');
  }

  replace(keys: StoredKeys, revision: string): Promise<string> {
    return this.write(keys, Number(revision), 'the key changed since it was read');
  }

  private async write(keys: StoredKeys, cas: number, conflict: string): Promise<string> {
    if (!(await this.consul.kvPut(this.key, JSON.stringify(keys), { cas }))) throw new KeyStoreConflict(this.description, conflict);
    const { value: entry } = await this.consul.kvGet(this.key);
    return String(entry?.modifyIndex ?? '');
  }
}
