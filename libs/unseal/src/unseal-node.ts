import type { SealStatus } from '@opzero/vault';
import type { ShareSource } from './share-source';
import { toUnsealFailure, UnsealFailure, withoutSecrets } from './unseal-failure';
import type { VaultNode } from './vault-node';

/**
 * One unseal attempt on a sealed node: decrypt the threshold of shares, submit them one by
 * one, and check that the node reports `sealed: false`. On any failure the node's unseal
 * progress is reset, so it is left as it was found (a partial set of shares never lingers),
 * and an UnsealFailure with the reason is thrown. `migrate` is for a pending seal migration.
 * Returns the number of shares submitted.
 */
export async function unsealNode(node: VaultNode, status: SealStatus, source: ShareSource, options: { migrate?: boolean } = {}): Promise<number> {
  if (!status.initialized) throw new UnsealFailure('not-initialized', `${node.address} is not initialised; run init first`);
  let shares: string[] = [];
  let touched = false;
  try {
    shares = await source.shares(status.t);
    // Someone's earlier partial attempt (a keeper killed mid-unseal, an operator) would mix with ours.
    if (status.progress > 0) await node.unsealReset();
    let last = status;
    for (const [index, share] of shares.entries()) {
      touched = true;
      last = await node.unseal(share, options.migrate ? { migrate: true } : {});
      if (!last.sealed) return index + 1;
    }
    throw new UnsealFailure('shares-rejected', `${node.address} is still sealed after ${shares.length} shares (progress ${last.progress}/${last.t})`);
  } catch (error) {
    if (touched) await node.unsealReset().catch(() => undefined);
    const failure = toUnsealFailure(error);
    throw new UnsealFailure(failure.reason, withoutSecrets(failure.message, shares));
  }
}
