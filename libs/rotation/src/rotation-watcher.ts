import type { SecretRotated } from '@opzero/contracts';
import { kvV2PathOf } from './kv-path';
import type { PathIndex } from './path-index';
import type { VersionStore } from './version-store';

/** A KV v2 secret's newest version, from its metadata (never its data). */
export interface CurrentVersion {
  version: number;
  /** When that version was written (`versions[n].created_time`). */
  changedAt?: string;
}

/** Where versions come from: `GET <mount>/metadata/<key>`; undefined when the secret does not exist. */
export interface MetadataSource {
  currentVersion(mount: string, key: string): Promise<CurrentVersion | undefined>;
}

/** Tuning of the poller; every field has a default. */
export interface RotationWatcherOptions {
  /** Mounts whose paths are `<mount>/data/<key>` (default `['secret']`). */
  kvV2Mounts: readonly string[];
  /** Shortest pause between two rounds over all paths (default 250 ms). */
  minIntervalMs: number;
  /** Longest pause, also the cap of the error back-off (default 30 s). */
  maxIntervalMs: number;
  /** Vault metadata reads per second the service allows itself; more paths stretch the round (default 200). */
  maxReadsPerSecond: number;
  /** Metadata reads in flight at once (default 16). */
  concurrency: number;
  now: () => Date;
}

/** Called once per new version; the id is deterministic (`<path>@<version>`) so a re-emission after a crash de-duplicates. */
export type RotationEmitter = (event: SecretRotated, id: string) => Promise<void>;

/** What one round over the paths did. */
export interface RoundResult {
  checked: number;
  emitted: SecretRotated[];
  failed: { path: string; error: unknown }[];
}

const DEFAULTS: RotationWatcherOptions = {
  kvV2Mounts: ['secret'],
  minIntervalMs: 250,
  maxIntervalMs: 30_000,
  maxReadsPerSecond: 200,
  concurrency: 16,
  now: () => new Date(),
};

/**
 * One watch per distinct KV v2 path, however many pods render it: each round reads every
 * path's metadata once (batched, `concurrency` at a time), compares `current_version` with the
 * last seen one, emits `vault.secret-rotated.v1` for a higher version and then stores it.
 * - The first sight of a path is its baseline, not a rotation.
 * - Emit-then-store: a crash between the two re-emits the same `<path>@<version>` id once more
 *   after restart (consumers de-duplicate on path and version); a version is never skipped.
 * - A failed read is not a change: the path keeps its version and is read again next round;
 *   a round where every read failed doubles the pause up to `maxIntervalMs`.
 * - Paused (Vault sealed): no reads at all; resume() re-checks every path at once.
 */
export class RotationWatcher {
  private readonly options: RotationWatcherOptions;
  private versions = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private paused = false;
  private backoffMs = 0;
  private round: Promise<RoundResult> | undefined;
  /** Versions changed since the last successful save (a failed save is retried next round). */
  private dirty = false;

  constructor(
    private readonly index: PathIndex,
    private readonly source: MetadataSource,
    private readonly store: VersionStore,
    private readonly emit: RotationEmitter,
    options: Partial<RotationWatcherOptions> = {},
    private readonly onRound: (result: RoundResult) => void = () => undefined,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Loads the stored versions and starts polling. */
  async start(): Promise<void> {
    this.versions = await this.store.load();
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling after the round in flight. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    // A failed save was already reported by the round's own tick.
    await this.round?.catch(() => undefined);
  }

  /** Stops reading Vault (it is sealed) until resume(). */
  pause(): void {
    this.paused = true;
  }

  /** Reads again, every path at once. */
  resume(): void {
    this.paused = false;
    this.backoffMs = 0;
    if (this.running) this.schedule(0);
  }

  /** Whether polling is paused. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** The pause between rounds: enough to keep `paths / interval` under maxReadsPerSecond. */
  intervalMs(): number {
    const paced = (this.watchedPaths().length / this.options.maxReadsPerSecond) * 1000;
    return Math.min(this.options.maxIntervalMs, Math.max(this.options.minIntervalMs, paced, this.backoffMs));
  }

  /** One round over every watched path now (the loop calls this; tests and resume() may too). */
  checkAll(): Promise<RoundResult> {
    this.round ??= this.runRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private watchedPaths() {
    return this.index.paths().flatMap((path) => kvV2PathOf(path, this.options.kvV2Mounts) ?? []);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (!this.running || this.paused) return;
    let result: RoundResult;
    try {
      result = await this.checkAll();
    } catch (error) {
      // The state store refused the save: versions stay in memory (dirty) and the save is retried.
      result = { checked: 1, emitted: [], failed: [{ path: '(state store)', error }] };
    }
    this.onRound(result);
    const allFailed = result.checked > 0 && result.failed.length === result.checked;
    this.backoffMs = allFailed ? Math.min(this.options.maxIntervalMs, Math.max(this.options.minIntervalMs, this.backoffMs * 2)) : 0;
    if (this.running && !this.paused) this.schedule(this.intervalMs());
  }

  private async runRound(): Promise<RoundResult> {
    const paths = this.watchedPaths();
    const result: RoundResult = { checked: paths.length, emitted: [], failed: [] };
    for (let start = 0; start < paths.length && !this.paused; start += this.options.concurrency) {
      const batch = paths.slice(start, start + this.options.concurrency);
      const outcomes = await Promise.allSettled(batch.map((path) => this.source.currentVersion(path.mount, path.key)));
      for (const [i, outcome] of outcomes.entries()) {
        const { path } = batch[i]!;
        if (outcome.status === 'rejected') result.failed.push({ path, error: outcome.reason });
        else if (outcome.value) this.dirty = (await this.observe(path, outcome.value, result)) || this.dirty;
      }
    }
    if (this.dirty) {
      await this.store.save(this.versions);
      this.dirty = false;
    }
    return result;
  }

  /** Records a read version; true when the stored state must be saved. */
  private async observe(path: string, current: CurrentVersion, result: RoundResult): Promise<boolean> {
    const previous = this.versions.get(path);
    if (previous !== undefined && current.version <= previous) return false;
    if (previous !== undefined) {
      const event: SecretRotated = {
        path,
        kind: 'kv-v2',
        version: current.version,
        previousVersion: previous,
        ...(current.changedAt ? { changedAt: current.changedAt } : {}),
        detectedAt: this.options.now().toISOString(),
        podCount: this.index.podsFor(path).length,
      };
      try {
        await this.emit(event, `${path}@${current.version}`);
      } catch (error) {
        // Not recorded: the next round sees the same new version and emits again.
        result.failed.push({ path, error });
        return false;
      }
      result.emitted.push(event);
    }
    this.versions.set(path, current.version);
    return true;
  }
}

/** Reads `current_version` and its `created_time` from a KV v2 metadata answer. */
export function currentVersionOf(metadata: { current_version: number; versions?: Record<string, { created_time?: string }> }): CurrentVersion | undefined {
  if (!Number.isSafeInteger(metadata.current_version) || metadata.current_version < 1) return undefined;
  const changedAt = metadata.versions?.[String(metadata.current_version)]?.created_time;
  return { version: metadata.current_version, ...(changedAt ? { changedAt } : {}) };
}
