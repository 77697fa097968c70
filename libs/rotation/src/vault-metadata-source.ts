import { VaultError, type VaultClient } from '@opzero/vault';
import { currentVersionOf, type CurrentVersion, type MetadataSource } from './rotation-watcher';

/** Answers meaning "this server or token cannot list folders' metadata": read per path instead. */
const UNLISTABLE = new Set([400, 403, 404, 405]);

/**
 * KV v2 metadata reads over libs/vault. The token needs only this policy (no secret values):
 *   path "<mount>/metadata/*" { capabilities = ["read"] }
 *   path "<mount>/detailed-metadata/*" { capabilities = ["list"] }   # optional: one request per folder (OpenBao)
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

  /** Current versions of a folder's keys in one request (OpenBao); undefined where Vault has no such endpoint or the token may not list. */
  async folderVersions(mount: string, folder: string): Promise<ReadonlyMap<string, CurrentVersion> | undefined> {
    let listed: Awaited<ReturnType<VaultClient['kvListDetailedMetadata']>>;
    try {
      listed = await this.vault.kvListDetailedMetadata(mount, folder);
    } catch (error) {
      if (error instanceof VaultError && UNLISTABLE.has(error.status)) return undefined;
      throw error;
    }
    const versions = new Map<string, CurrentVersion>();
    for (const [name, metadata] of Object.entries(listed)) {
      if (name.endsWith('/') || typeof metadata.current_version !== 'number') continue;
      const current = currentVersionOf({ current_version: metadata.current_version, ...(metadata.versions ? { versions: metadata.versions } : {}) });
      if (current) versions.set(name, current);
    }
    return versions;
  }
}
