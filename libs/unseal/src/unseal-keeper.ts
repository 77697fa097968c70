import type { SealStatus } from '@opzero/vault';
import type { Logger } from 'pino';
import { singleKeeper, type LeaderElection } from './leader-election';
import type { ShareSource } from './share-source';
import { toUnsealFailure } from './unseal-failure';
import type { UnsealEvents } from './unseal-events';
import { noopUnsealMetrics, type UnsealMetrics } from './unseal-metrics';
import { unsealNode } from './unseal-node';
import type { VaultNode } from './vault-node';

export interface UnsealKeeperOptions {
  /** Time between seal-status polls of one node. */
  intervalMs: number;
  /** Each wait is intervalMs × (1 ± jitter), so replicas and nodes do not poll in lockstep. */
  jitter: number;
  /** First wait after a failed attempt; doubles per failure up to backoffMaxMs. */
  backoffInitialMs: number;
  backoffMaxMs: number;
}

export interface UnsealKeeperDeps {
  nodes: readonly VaultNode[];
  /** Where the shares come from; without one the keeper only watches (events, metrics). */
  source?: ShareSource;
  events: UnsealEvents;
  logger: Logger;
  metrics?: UnsealMetrics;
  leader?: LeaderElection;
}

const QUICK_RETRY_MS = 25;
const QUICK_RETRY_WINDOW_MS = 5_000;

/** Per node: the sealing being handled, if any. */
interface Sealing {
  since: number;
  announced: boolean;
  attempts: number;
  nextAttemptAt: number;
}

/**
 * Watches every node's `sys/seal-status` and unseals the ones that report sealed. A sealing is
 * announced once (`sealed`), then either `unsealed` (with the time from detection) or, per
 * failed attempt, `unseal-failed` followed by an exponential backoff. Only the leader acts;
 * followers watch so they can take over mid-sealing. Failures never stop the loop.
 */
export class UnsealKeeper {
  private readonly sealings = new Map<string, Sealing>();
  private readonly loops: Promise<void>[] = [];
  private readonly stopping = new AbortController();
  private readonly metrics: UnsealMetrics;
  private readonly leader: LeaderElection;

  constructor(
    private readonly deps: UnsealKeeperDeps,
    private readonly options: UnsealKeeperOptions,
  ) {
    this.metrics = deps.metrics ?? noopUnsealMetrics;
    this.leader = deps.leader ?? singleKeeper;
  }

  /** Starts one watch loop per node. */
  start(): void {
    for (const node of this.deps.nodes) this.loops.push(this.watch(node));
  }

  /** Stops polling; an unseal attempt in flight finishes first. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  private async watch(node: VaultNode): Promise<void> {
    const logger = this.deps.logger.child({ node: node.address });
    let failingSince: number | undefined;
    while (!this.stopping.signal.aborted) {
      if (await this.check(node, logger)) failingSince = undefined;
      else failingSince ??= Date.now();
      // A node that is sealing (or restarting) fails seal-status for a second or two, and the
      // next answer is the sealed state: asking again soon sees it at once instead of up to an
      // interval later. After QUICK_RETRY_WINDOW_MS of failures, back to the normal pace.
      const quick = failingSince !== undefined && Date.now() - failingSince < QUICK_RETRY_WINDOW_MS;
      await this.sleep(quick ? QUICK_RETRY_MS : this.options.intervalMs * (1 + this.options.jitter * (2 * Math.random() - 1)));
    }
  }

  /** One poll, and one unseal attempt when the node is sealed and this keeper may act; false when the node did not answer. */
  async check(node: VaultNode, logger: Logger): Promise<boolean> {
    let status: SealStatus;
    try {
      status = await node.sealStatus();
    } catch (error) {
      this.metrics.nodeState(node.address, 'unreachable');
      logger.debug({ error: (error as Error).message }, 'seal-status did not answer');
      return false;
    }
    this.metrics.nodeState(node.address, status.sealed ? 'sealed' : 'unsealed');
    const sealing = this.sealings.get(node.address);
    if (!status.sealed) {
      if (sealing) logger.info({}, 'node reports unsealed without this keeper');
      this.sealings.delete(node.address);
      return true;
    }
    const now = Date.now();
    const current = sealing ?? { since: now, announced: false, attempts: 0, nextAttemptAt: now };
    this.sealings.set(node.address, current);
    if (!this.leader.isLeader()) return true;
    if (!current.announced) {
      current.announced = true;
      logger.info({ initialized: status.initialized, progress: status.progress, type: status.type }, 'node is sealed');
      this.deps.events.sealed({
        node: node.address,
        ...(status.cluster_name ? { cluster: status.cluster_name } : {}),
        detectedAt: new Date(current.since).toISOString(),
        initialized: status.initialized,
        threshold: status.t,
        shares: status.n,
        progress: status.progress,
        ...(status.version ? { version: status.version.slice(0, 64) } : {}),
      });
    }
    // Auto-unseal seals unseal themselves; a pending migration is the migrate command's job.
    const source = this.deps.source;
    if (!source || status.type !== 'shamir' || status.migration === true || now < current.nextAttemptAt) return true;
    await this.attempt(node, status, source, current, logger);
    return true;
  }

  private async attempt(node: VaultNode, status: SealStatus, source: ShareSource, sealing: Sealing, logger: Logger): Promise<void> {
    try {
      const sharesUsed = await unsealNode(node, status, source);
      const durationMs = Date.now() - sealing.since;
      this.sealings.delete(node.address);
      this.metrics.nodeState(node.address, 'unsealed');
      this.metrics.unsealed(node.address, durationMs);
      logger.info({ durationMs, sharesUsed }, 'node unsealed');
      this.deps.events.unsealed({
        node: node.address,
        ...(status.cluster_name ? { cluster: status.cluster_name } : {}),
        unsealedAt: new Date().toISOString(),
        durationMs,
        sharesUsed,
      });
    } catch (error) {
      const failure = toUnsealFailure(error);
      sealing.attempts += 1;
      const backoffMs = Math.min(this.options.backoffInitialMs * 2 ** (sealing.attempts - 1), this.options.backoffMaxMs);
      sealing.nextAttemptAt = Date.now() + backoffMs;
      this.metrics.failed(node.address, failure.reason);
      logger.warn({ reason: failure.reason, attempt: sealing.attempts, retryInMs: backoffMs, error: failure.message }, 'unseal attempt failed');
      this.deps.events.unsealFailed({
        node: node.address,
        ...(status.cluster_name ? { cluster: status.cluster_name } : {}),
        failedAt: new Date().toISOString(),
        reason: failure.reason,
        message: failure.message,
        attempt: sealing.attempts,
      });
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
