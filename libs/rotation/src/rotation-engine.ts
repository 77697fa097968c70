import type { PodCreated, SecretRotated } from '@opzero/contracts';
import { PathIndex } from './path-index';
import { PodReconciler } from './pod-reconciler';
import { RestartCoordinator, type RestartOptions, type WorkloadRestarter } from './restart-coordinator';
import { RotationWatcher, type MetadataSource, type RotationWatcherOptions, type RoundResult } from './rotation-watcher';
import type { VersionStore } from './version-store';

/** Structured logging the engine needs (pino's shape); never given tokens or secret data. */
export interface RotationLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Everything the engine talks to. */
export interface RotationEngineParts {
  source: MetadataSource;
  store: VersionStore;
  /** Publishes `vault.secret-rotated.v1` with the given CloudEvents id; rejects if not accepted by the broker. */
  publish: (event: SecretRotated, id: string) => Promise<void>;
  /** Omitted: restart-on-rotate pods are counted in events but never restarted. */
  restarter?: WorkloadRestarter;
  /** The Vault node addresses this service reads; a `sealed` event for one of them pauses polling. */
  vaultNodes: readonly string[];
  logger: RotationLogger;
}

const normalize = (address: string) => address.trim().replace(/\/+$/, '').toLowerCase();

/**
 * The rotation service without its framework: the pod index (fed by pod-created on every
 * replica), the poller and the restart coordinator (running only while leading), and the
 * seal state (paused while any of its Vault nodes is sealed).
 */
export class RotationEngine {
  /** Secret path → pods; kept on every replica so a new leader starts with a full index. */
  readonly index = new PathIndex();
  /** Drops the entries of pods the API server no longer has (fed by a pod watch, libs/rotation pod-watch.ts). */
  readonly reconciler: PodReconciler;
  private readonly watcher: RotationWatcher;
  private readonly coordinator: RestartCoordinator | undefined;
  private readonly sealedNodes = new Set<string>();
  private readonly vaultNodes: Set<string>;
  private restartTimer: NodeJS.Timeout | undefined;
  private leading = false;
  private readonly restartTickMs: number;

  constructor(
    private readonly parts: RotationEngineParts,
    options: Partial<RotationWatcherOptions & RestartOptions & { restartTickMs: number; podGraceMs: number }> = {},
  ) {
    this.reconciler = new PodReconciler(this.index, options.podGraceMs ?? 120_000);
    this.vaultNodes = new Set(parts.vaultNodes.map(normalize));
    this.watcher = new RotationWatcher(this.index, parts.source, parts.store, (event, id) => this.emit(event, id), options, (round) => this.logRound(round));
    this.coordinator = parts.restarter
      ? new RestartCoordinator(parts.restarter, options, (workload, error) => parts.logger.warn({ workload, error: String(error) }, 'rollout restart failed; retrying after the window'))
      : undefined;
    this.restartTickMs = options.restartTickMs ?? 500;
  }

  /** Indexes a pod admitted by the injector. */
  onPodCreated(event: PodCreated): void {
    this.reconciler.onIndexed(this.index.add(event).key);
  }

  /** A Vault node reported sealed: stop reading it (no error storm, no false rotations). */
  onSealed(node: string): void {
    if (!this.vaultNodes.has(normalize(node))) return;
    this.sealedNodes.add(normalize(node));
    this.watcher.pause();
    this.parts.logger.warn({ node }, 'Vault node sealed: polling paused');
  }

  /** A Vault node was unsealed: when none is sealed any more, re-check every path at once. */
  onUnsealed(node: string): void {
    if (!this.sealedNodes.delete(normalize(node)) || this.sealedNodes.size > 0) return;
    this.parts.logger.info({ node }, 'Vault unsealed: re-checking every path');
    this.watcher.resume();
  }

  /** Whether polling is paused by a sealed node. */
  get paused(): boolean {
    return this.watcher.isPaused;
  }

  /** Became leader: load the stored versions, poll, restart. */
  async startLeading(): Promise<void> {
    if (this.leading) return;
    this.leading = true;
    await this.watcher.start();
    if (this.coordinator) {
      const coordinator = this.coordinator;
      this.restartTimer = setInterval(() => void coordinator.tick(Date.now()), this.restartTickMs);
    }
  }

  /** Lost the lease or shutting down: stop polling after the round in flight. */
  async stopLeading(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    clearInterval(this.restartTimer);
    await this.watcher.stop();
  }

  private async emit(event: SecretRotated, id: string): Promise<void> {
    const pods = this.index.podsFor(event.path);
    const barePods = pods.filter((pod) => pod.restartOnRotate && !pod.owner).length;
    await this.parts.publish(barePods > 0 ? { ...event, barePods } : event, id);
    if (!this.coordinator) return;
    const request = await this.coordinator.request(pods, Date.now()).catch((error: unknown) => {
      // The event is out; a failed owner lookup must not re-emit it. Logged, and left for the next rotation.
      this.parts.logger.warn({ path: event.path, error: String(error) }, 'owner lookup for restart-on-rotate pods failed');
      return undefined;
    });
    if (request?.unrestartable.length) this.parts.logger.info({ path: event.path, pods: request.unrestartable }, 'restart-on-rotate pods without a workload: nothing restarted or deleted');
  }

  private logRound(round: RoundResult): void {
    for (const event of round.emitted) this.parts.logger.info({ path: event.path, version: event.version, previousVersion: event.previousVersion }, 'secret rotated');
    if (round.failed.length > 0) this.parts.logger.warn({ failed: round.failed.length, checked: round.checked, first: String(round.failed[0]!.error) }, 'metadata reads failed');
  }
}
