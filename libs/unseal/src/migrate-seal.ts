import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SealStatus } from '@opzero/vault';
import type { Logger } from 'pino';
import type { ShareSource } from './share-source';
import { unsealNode } from './unseal-node';
import type { VaultNode } from './vault-node';

/** The target of a migration to Vault's transit seal. */
export interface TransitSealTarget {
  address: string;
  token: string;
  keyName: string;
  mountPath?: string;
}

/** A `seal "transit"` stanza (values are quoted HCL strings, so no value can inject config). */
export function transitSealStanza(target: TransitSealTarget): string {
  const quote = (value: string) => JSON.stringify(value);
  return [
    'seal "transit" {',
    `  address    = ${quote(target.address)}`,
    `  token      = ${quote(target.token)}`,
    `  key_name   = ${quote(target.keyName)}`,
    `  mount_path = ${quote(`${(target.mountPath ?? 'transit').replace(/\/+$/, '')}/`)}`,
    '}',
    '',
  ].join('\n');
}

export interface MigrateOptions {
  /** The seal stanza to migrate to (transitSealStanza, or an `azurekeyvault` stanza). */
  sealStanza: string;
  /** Where the node's config directory picks the stanza up; written atomically, mode 0600 (it may hold a token). */
  sealConfigPath?: string;
  /** How long to wait for the node to come back with the new seal (default 10 min). */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Migrates a Shamir-sealed node to an auto-unseal seal, as `vault operator unseal -migrate`
 * does: writes the target seal stanza, waits until the node was restarted with it (it then
 * reports `sealed` with `migration: true`), submits the stored shares with `migrate=true` and
 * records in the store that they are now recovery shares. After this the node unseals itself
 * on every restart.
 */
export async function migrateSeal(node: VaultNode, source: ShareSource, options: MigrateOptions, logger: Logger): Promise<void> {
  if (options.sealConfigPath) {
    const temporary = join(dirname(options.sealConfigPath), `.${randomUUID()}.tmp`);
    await writeFile(temporary, options.sealStanza, { mode: 0o600, flag: 'wx' });
    await rename(temporary, options.sealConfigPath);
    logger.info({ path: options.sealConfigPath }, 'seal stanza written; restart the node with it to start the migration');
  }
  const stored = await source.stored();
  const status = await waitForMigration(node, options);
  logger.info({ type: status.type, threshold: status.t }, 'node restarted with the new seal; submitting shares with migrate=true');
  await unsealNode(node, status, source, { migrate: true });
  await source.store.replace({ ...stored.value, kind: 'recovery' }, stored.revision);
  logger.info({ store: source.store.description }, 'seal migrated; the stored shares are now recovery shares');
}

async function waitForMigration(node: VaultNode, options: MigrateOptions): Promise<SealStatus> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const status = await node.sealStatus().catch(() => undefined);
    if (status?.sealed && status.migration === true) return status;
    if (status && !status.sealed && status.type !== 'shamir') throw new Error(`${node.address} already runs the ${status.type} seal unsealed; nothing to migrate`);
    if (Date.now() > deadline) throw new Error(`${node.address} did not come back sealed with a pending seal migration in time; was it restarted with the new seal stanza?`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
