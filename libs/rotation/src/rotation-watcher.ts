import type { SecretRotated } from '@opzero/contracts';
import { kvV2PathOf, type KvV2Path } from './kv-path';
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
  /**
   * Every key of one folder in one request (OpenBao's `LIST <mount>/detailed-metadata/<folder>`),
   * by key name; undefined when the server or the token does not offer it (read per path then).
   */
  folderVersions?(mount: string, folder: string): Promise<ReadonlyMap<string, CurrentVersion> | undefined>;
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
  /** Metadata requests in flight at once (default 16). */
  concurrency: number;
  /**
   * Watched paths of one folder are read with one folder listing when the source offers it
   * (default true), unless the folder holds many more keys than are watched (see `listable`).
   */
  batchFolders: boolean;
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
  batchFolders: true,
  now: () => new Date(),
};

/** One request of a round: a path's metadata, or the listing of a folder holding several watched paths. */
type Unit = { folder?: undefined; paths: [KvV2Path] } | { folder: string; paths: KvV2Path[] };

/** What one path's read gave: its version (undefined: the secret does not exist) or the error. */
interface Reading {
  path: string;
  version?: CurrentVersion | undefined;
  error?: unknown;
}

/** `bench/p0` → folder `bench`, name `p0`; `p0` → folder ``, name `p0`. */
function splitKey(key: string): { folder: string; name: string } {
  const slash = key.lastIndexOf('/');
  return { folder: slash < 0 ? '' : key.slice(0, slash), name: key.slice(slash + 1) };
}

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
  /** Keys each listed folder held at its last listing (`<mount> <folder>`). */
  private readonly folderKeys = new Map<string, number>();
  /** Folders the source cannot list (no such endpoint, or the token may not list): read per path. */
  private readonly unlistable = new Set<string>();

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

  /** The pause between rounds: enough to keep `requests per round / interval` under maxReadsPerSecond. */
  intervalMs(): number {
    const paced = (this.plan(this.watchedPaths()).length / this.options.maxReadsPerSecond) * 1000;
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

  /**
   * The requests of a round: a folder holding two or more watched paths is listed once (when
   * the source can list it and it is not mostly other keys); every other path is read alone.
   */
  private plan(paths: readonly KvV2Path[]): Unit[] {
    const folders = new Map<string, KvV2Path[]>();
    const units: Unit[] = [];
    for (const path of paths) {
      const { folder, name } = splitKey(path.key);
      const id = `${path.mount} ${folder}`;
      if (!this.options.batchFolders || !this.source.folderVersions || !name || this.unlistable.has(id)) units.push({ paths: [path] });
      else folders.set(id, [...(folders.get(id) ?? []), path]);
    }
    for (const [id, inFolder] of folders) {
      if (inFolder.length >= 2 && this.listable(id, inFolder.length)) units.push({ folder: splitKey(inFolder[0]!.key).folder, paths: inFolder });
      else for (const path of inFolder) units.push({ paths: [path] });
    }
    return units;
  }

  /** A listing returns every key of the folder: worth it while the folder is not mostly unwatched keys. */
  private listable(id: string, watched: number): boolean {
    const keys = this.folderKeys.get(id);
    return keys === undefined || keys <= 4 * watched + 16;
  }

  /** Reads one unit; never rejects (errors are per path). A folder the source cannot list is read per path from now on. */
  private async read(unit: Unit): Promise<Reading[]> {
    if (unit.folder !== undefined) {
      const first = unit.paths[0]!;
      const id = `${first.mount} ${unit.folder}`;
      try {
        const versions = await this.source.folderVersions!(first.mount, unit.folder);
        if (versions) {
          this.folderKeys.set(id, versions.size);
          return unit.paths.map((path) => ({ path: path.path, version: versions.get(splitKey(path.key).name) }));
        }
        this.unlistable.add(id);
      } catch (error) {
        return unit.paths.map((path) => ({ path: path.path, error }));
      }
    }
    return Promise.all(
      unit.paths.map((path) =>
        this.source.currentVersion(path.mount, path.key).then(
          (version) => ({ path: path.path, version }),
          (error: unknown) => ({ path: path.path, error }),
        ),
      ),
    );
  }

  private async runRound(): Promise<RoundResult> {
    const paths = this.watchedPaths();
    const units = this.plan(paths);
    const result: RoundResult = { checked: paths.length, emitted: [], failed: [] };
    for (let start = 0; start < units.length && !this.paused; start += this.options.concurrency) {
      const readings = (await Promise.all(units.slice(start, start + this.options.concurrency).map((unit) => this.read(unit)))).flat();
      for (const { path, version, error } of readings) {
        if (error !== undefined) result.failed.push({ path, error });
        else if (version) this.dirty = (await this.observe(path, version, result)) || this.dirty;
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
