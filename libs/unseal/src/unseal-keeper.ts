import type { SealStatus } from '@opzero/vault';
import type { Logger } from 'pino';
import { singleKeeper, type LeaderElection } from './leader-election';
import { nodeStateOf, type NodeState } from './node-state';
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
  /** The nodes to watch from start(); setNodes() changes the set while running. */
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

/** One watched node: its loop, the switch that ends it, and what the loop last saw. */
interface Watched {
  readonly node: VaultNode;
  readonly logger: Logger;
  readonly stop: AbortController;
  state?: NodeState;
  sealing?: Sealing;
}

/**
 * Watches every node's `sys/health` and unseals the ones that report sealed (their threshold
 * and progress read from `sys/seal-status`). A sealing is announced once (`sealed`), then
 * either `unsealed` (with the time from detection) or, per failed attempt, `unseal-failed`
 * followed by an exponential backoff. Only the leader acts; followers watch so they can take
 * over mid-sealing. Failures never stop the loop. The node set may change while running
 * (Kubernetes discovery): a removed node's loop ends after its current poll or attempt.
 */
export class UnsealKeeper {
  private readonly watched = new Map<string, Watched>();
  private readonly loops = new Set<Promise<void>>();
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
    this.setNodes(this.deps.nodes);
  }

  /** Watches exactly `nodes` from now on (by address): loops start for new ones and end for gone ones. */
  setNodes(nodes: readonly VaultNode[]): void {
    if (this.stopping.signal.aborted) return;
    const wanted = new Map(nodes.map((node) => [node.address, node]));
    for (const [address, watched] of this.watched) {
      if (wanted.has(address)) continue;
      watched.stop.abort();
      this.watched.delete(address);
      this.metrics.forget?.(address);
      watched.logger.info({}, 'node no longer watched');
    }
    for (const node of wanted.values()) {
      if (this.watched.has(node.address)) continue;
      const watched: Watched = { node, logger: this.deps.logger.child({ node: node.address }), stop: new AbortController() };
      this.watched.set(node.address, watched);
      const loop = this.watch(watched).finally(() => {
        this.loops.delete(loop);
        node.close?.();
      });
      this.loops.add(loop);
    }
  }

  /** The addresses being watched, sorted. */
  nodes(): string[] {
    return [...this.watched.keys()].sort();
  }

  /** Stops polling; an unseal attempt in flight finishes first. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const watched of this.watched.values()) watched.stop.abort();
    await Promise.all(this.loops);
  }

  private async watch(watched: Watched): Promise<void> {
    let failingSince: number | undefined;
    while (!watched.stop.signal.aborted) {
      if (await this.check(watched)) failingSince = undefined;
      else failingSince ??= Date.now();
      // A node that is restarting (or sealing) fails its polls for a second or two, and the
      // next answer is the sealed state: asking again soon sees it at once instead of up to an
      // interval later. After QUICK_RETRY_WINDOW_MS of failures, back to the normal pace.
      const quick = failingSince !== undefined && Date.now() - failingSince < QUICK_RETRY_WINDOW_MS;
      await sleep(quick ? QUICK_RETRY_MS : this.options.intervalMs * (1 + this.options.jitter * (2 * Math.random() - 1)), watched.stop.signal);
    }
  }

  /** One poll, and one unseal attempt when the node is sealed and this keeper may act; false when the node did not answer. */
  private async check(watched: Watched): Promise<boolean> {
    const { node, logger } = watched;
    let state: NodeState;
    let status: SealStatus | undefined;
    try {
      state = nodeStateOf(await node.health());
      // Health has no threshold, progress or seal type: seal-status does, once there is a sealing
      // to handle. OpenBao's health says sealed 0.1-1 s before seal-status does (measured): while
      // the seal completes, seal-status waits, so this call returns the moment sealed is served.
      if (state === 'sealed' || state === 'uninitialized') status = await node.sealStatus();
    } catch (error) {
      this.observe(watched, 'unreachable', { error: (error as Error).message });
      return false;
    }
    this.observe(watched, state);
    if (!status?.sealed) {
      if (watched.sealing) logger.info({}, 'node reports unsealed without this keeper');
      watched.sealing = undefined;
      return true;
    }
    const now = Date.now();
    const sealing = (watched.sealing ??= { since: now, announced: false, attempts: 0, nextAttemptAt: now });
    if (!this.leader.isLeader()) return true;
    if (!sealing.announced) {
      sealing.announced = true;
      logger.info({ initialized: status.initialized, progress: status.progress, type: status.type }, 'node is sealed');
      this.deps.events.sealed({
        node: node.address,
        ...(status.cluster_name ? { cluster: status.cluster_name } : {}),
        detectedAt: new Date(sealing.since).toISOString(),
        initialized: status.initialized,
        threshold: status.t,
        shares: status.n,
        progress: status.progress,
        ...(status.version ? { version: status.version.slice(0, 64) } : {}),
      });
    }
    // Auto-unseal seals unseal themselves; a pending migration is the migrate command's job.
    const source = this.deps.source;
    if (!source || status.type !== 'shamir' || status.migration === true || now < sealing.nextAttemptAt) return true;
    await this.attempt(watched, status, source, sealing);
    return true;
  }

  /** Records the node's state; a change is logged (active ↔ standby, sealed, unreachable), a repeat is not. */
  private observe(watched: Watched, state: NodeState, detail: Record<string, unknown> = {}): void {
    this.metrics.nodeState(watched.node.address, state);
    if (watched.state === state) return;
    watched.logger[state === 'unreachable' ? 'debug' : 'info']({ from: watched.state ?? 'unknown', to: state, ...detail }, 'node state');
    watched.state = state;
  }

  private async attempt(watched: Watched, status: SealStatus, source: ShareSource, sealing: Sealing): Promise<void> {
    const { node, logger } = watched;
    try {
      const sharesUsed = await unsealNode(node, status, source);
      const durationMs = Date.now() - sealing.since;
      watched.sealing = undefined;
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
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
