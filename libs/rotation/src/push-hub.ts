/** Versions by path, as a watch answer carries them. */
export type PathVersions = Record<string, number>;

interface Waiter {
  paths: readonly string[];
  resolve: (changed: PathVersions) => void;
}

/**
 * Blocking queries for sidecars: a sidecar names its paths and the versions it rendered, and
 * is answered as soon as one of them has a higher version (at once if one already has), or
 * with nothing changed when its wait ends. Fed with every `vault.secret-rotated.v1` a replica
 * sees, so any replica can answer, leader or not.
 */
export class PushHub {
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();

  /** Records a path's version and wakes the waiters of that path when it is new. */
  publish(path: string, version: number): void {
    if ((this.versions.get(path) ?? 0) >= version) return;
    this.versions.set(path, version);
    for (const waiter of [...this.waiters]) {
      if (waiter.paths.includes(path)) waiter.resolve({ [path]: version });
    }
  }

  /** Paths among `known` whose version is higher than the one given (0 or absent: any version). */
  changedSince(known: Readonly<PathVersions>, paths: readonly string[]): PathVersions {
    const changed: PathVersions = {};
    for (const path of paths) {
      const version = this.versions.get(path);
      if (version !== undefined && version > (known[path] ?? 0)) changed[path] = version;
    }
    return changed;
  }

  /** Resolves with the changed paths (maybe several), or `{}` after `waitMs` or when `signal` aborts. */
  wait(paths: readonly string[], known: Readonly<PathVersions>, waitMs: number, signal?: AbortSignal): Promise<PathVersions> {
    const now = this.changedSince(known, paths);
    if (Object.keys(now).length > 0 || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        paths,
        resolve: (changed) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.waiters.delete(waiter);
          resolve(changed);
        },
      };
      const onAbort = () => waiter.resolve({});
      const timer = setTimeout(() => waiter.resolve({}), waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Sidecars waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }
}
