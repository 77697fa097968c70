import type { Kms } from '@opzero/kms';
import { createLogger } from '@opzero/observability';
import type { Logger } from 'pino';
import { initializeVault, migrateSeal, ShareSource, transitSealStanza, type VaultNode } from '@opzero/unseal';
import { keyStoreFrom, kmsFrom, nodesFrom } from '../config/keeper-parts';
import { ENV_PREFIX, type UnsealKeeperConfig } from '../config/unseal-keeper.config';

/** The one node a one-shot command acts on: the first of VAULT_ADDRESSES (never a discovered one). */
function firstNode(config: UnsealKeeperConfig): VaultNode {
  const node = nodesFrom(config)[0];
  if (!node) throw new Error(`init and migrate act on one named node: set ${ENV_PREFIX}_VAULT_ADDRESSES instead of ${ENV_PREFIX}_KUBERNETES_SERVICE`);
  return node;
}

/** The configured KMS; the one-shot commands cannot run without one. */
function requireKms(config: UnsealKeeperConfig, logger: Logger): Promise<Kms> {
  if (config.KMS_PROVIDER === 'none') throw new Error(`${ENV_PREFIX}_KMS_PROVIDER is unset: init and migrate need a KMS`);
  return kmsFrom({ ...config, KMS_PROVIDER: config.KMS_PROVIDER }, (message) => logger.warn({}, message));
}

/** `init`: initialise the first configured node and store its keys; refuses over existing keys. */
export async function initCommand(config: UnsealKeeperConfig): Promise<void> {
  const logger = createLogger({ name: 'unseal-keeper', level: config.LOG_LEVEL });
  const kms = await requireKms(config, logger);
  await initializeVault(firstNode(config), await keyStoreFrom(config), kms, { shares: config.INIT_SHARES, threshold: config.INIT_THRESHOLD, cluster: config.CLUSTER_NAME }, logger);
}

/**
 * `migrate`: writes the transit seal stanza to MIGRATE_SEAL_CONFIG_PATH, waits for the first
 * node to come back with it, and migrates with the stored shares.
 */
export async function migrateCommand(config: UnsealKeeperConfig): Promise<void> {
  const logger = createLogger({ name: 'unseal-keeper', level: config.LOG_LEVEL });
  const missing = (['MIGRATE_TRANSIT_ADDRESS', 'MIGRATE_TRANSIT_TOKEN', 'MIGRATE_TRANSIT_KEY'] as const).filter((key) => !config[key]);
  if (missing.length > 0) throw new Error(`migrate needs ${missing.map((key) => `${ENV_PREFIX}_${key}`).join(', ')}`);
  const kms = await requireKms(config, logger);
  const stanza = transitSealStanza({
    address: config.MIGRATE_TRANSIT_ADDRESS!,
    token: config.MIGRATE_TRANSIT_TOKEN!,
    keyName: config.MIGRATE_TRANSIT_KEY!,
    mountPath: config.MIGRATE_TRANSIT_MOUNT,
  });
  const source = new ShareSource(await keyStoreFrom(config), kms, config.CLUSTER_NAME);
  await migrateSeal(firstNode(config), source, { sealStanza: stanza, ...(config.MIGRATE_SEAL_CONFIG_PATH ? { sealConfigPath: config.MIGRATE_SEAL_CONFIG_PATH } : {}) }, logger);
}
