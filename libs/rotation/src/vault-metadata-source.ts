import { VaultError, type VaultClient } from '@opzero/vault';
import { currentVersionOf, type CurrentVersion, type MetadataSource } from './rotation-watcher';

/**
 * KV v2 metadata reads over libs/vault. The token needs only this policy (no secret values):
 *   path "<mount>/metadata/*" { capabilities = ["read"] }
 */
export class VaultMetadataSource implements MetadataSource {
  constructor(private readonly vault: VaultClient) {}

  /** The secret's current version; undefined when it does not exist (404). */
  async currentVersion(mount: string, key: string): Promise<CurrentVersion | undefined> {
    try {
      return currentVersionOf(await this.vault.kvReadMetadata(mount, key));
    } catch (error) {
      if (error instanceof VaultError && error.status === 404) return undefined;
      throw error;
    }
  }
}
