import { randomBytes } from 'node:crypto';
import type { Kms } from '@opzero/kms';
import type { Logger } from 'pino';
import type { KeyStore } from './key-store';
import { rootTokenContext, shareContext, type StoredKeys } from './stored-keys';
import type { VaultNode } from './vault-node';

export interface InitializeOptions {
  /** Shamir shares (or recovery shares with an auto-unseal seal) and threshold. */
  shares: number;
  threshold: number;
  /** The cluster name bound into each share's KMS context. */
  cluster: string;
  /** How long to keep retrying to store the keys after Vault answered (default 5 min). */
  storeRetryMs?: number;
}

/** Init was refused: the message says why, and nothing was changed. */
export class InitRefused extends Error {
  override readonly name = 'InitRefused';
}

/**
 * Initialises a Vault node and stores its shares and root token encrypted by the KMS.
 *
 * Refuses unless the node reports `initialized: false` AND the store holds no keys (Bank-Vaults'
 * rule: never initialise over existing keys). Vault hands out the shares exactly once, in the
 * answer to `sys/init`, so the order is chosen to make losing them as unlikely as possible and
 * impossible to miss:
 * 1. Before Vault is touched, a KMS round trip and a write-ahead `pending-init` record in the
 *    store (an atomic create) prove that both work and claim the store.
 * 2. `sys/init`; the shares are held in memory only.
 * 3. Every share and the root token are encrypted and the record is replaced by the complete
 *    one in one compare-and-set, retried (KMS and store) for `storeRetryMs`.
 * A crash inside step 3 cannot be made safe by any client (the answer is gone with the
 * process); the write-ahead record then makes it loud instead of silent: init refuses (the
 * store is not empty) and unseal reports `shares-missing` saying the init did not finish, so
 * nobody initialises over it or believes keys exist. A record found with a node that is still
 * uninitialised means the crash came before step 2: init continues from it.
 */
export async function initializeVault(node: VaultNode, store: KeyStore, kms: Kms, options: InitializeOptions, logger: Logger): Promise<StoredKeys> {
  if (options.threshold < 1 || options.threshold > options.shares) {
    throw new InitRefused(`threshold ${options.threshold} must be between 1 and the number of shares (${options.shares})`);
  }
  const status = await node.sealStatus();
  if (status.initialized) throw new InitRefused(`${node.address} is already initialised; init only runs on a Vault that reports initialized=false`);
  const existing = await store.load();
  if (existing && existing.value.state === 'complete') {
    throw new InitRefused(`${store.description} already holds keys; refusing to initialise over existing keys`);
  }
  const probe = randomBytes(32);
  if (!Buffer.from(await kms.decrypt(await kms.encrypt(probe, 'opzero-unseal/probe'), 'opzero-unseal/probe')).equals(probe)) {
    throw new InitRefused(`${kms.provider} key ${kms.keyId} did not round-trip a test value; not initialising`);
  }
  const recovery = status.type !== 'shamir';
  const record: StoredKeys = {
    format: 'opzero-unseal/v1',
    state: 'pending-init',
    kind: recovery ? 'recovery' : 'unseal',
    createdAt: new Date().toISOString(),
    threshold: options.threshold,
    shares: [],
  };
  let revision = existing ? await store.replace(record, existing.revision) : await store.create(record);
  logger.info({ store: store.description, shares: options.shares, threshold: options.threshold, kind: record.kind }, 'write-ahead record stored; initialising');

  const answer = await node.init(
    recovery
      ? { recovery_shares: options.shares, recovery_threshold: options.threshold }
      : { secret_shares: options.shares, secret_threshold: options.threshold },
  );
  const plainShares = (recovery ? (answer.recovery_keys ?? []) : answer.keys).map((hex) => Buffer.from(hex, 'hex'));
  const deadline = Date.now() + (options.storeRetryMs ?? 5 * 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      const complete: StoredKeys = {
        ...record,
        state: 'complete',
        shares: await Promise.all(plainShares.map((share, index) => kms.encrypt(share, shareContext(options.cluster, index)))),
        rootToken: await kms.encrypt(Buffer.from(answer.root_token, 'utf8'), rootTokenContext(options.cluster)),
      };
      revision = await store.replace(complete, revision);
      for (const share of plainShares) share.fill(0);
      logger.info({ store: store.description, kind: record.kind }, 'initialised; shares and root token stored encrypted');
      return complete;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`Vault was initialised but its keys could not be stored in ${store.description} after ${attempt} attempts: ${(error as Error).message}`);
      }
      logger.error({ attempt, error: (error as Error).message }, 'initialised, keys NOT yet stored; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
}
