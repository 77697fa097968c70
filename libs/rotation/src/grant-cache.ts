import { createHash } from 'node:crypto';

/**
 * Remembers for a while that a token may read a path, so a sidecar re-watching every 30 s costs
 * Vault one `sys/capabilities-self` per `ttlMs`, not one per watch. Keyed by the SHA-256 of the
 * token (the token itself is never kept); refusals are not cached. Bounded: the oldest entry
 * leaves first.
 */
export class GrantCache {
  private readonly grants = new Map<string, number>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `token` was granted read on every path within the last ttlMs. */
  allows(token: string, paths: readonly string[]): boolean {
    const now = this.now();
    const hash = digest(token);
    return paths.every((path) => (this.grants.get(`${hash} ${path}`) ?? -Infinity) > now);
  }

  /** Records that `token` may read `paths`. */
  remember(token: string, paths: readonly string[]): void {
    const hash = digest(token);
    const until = this.now() + this.ttlMs;
    for (const path of paths) {
      const key = `${hash} ${path}`;
      this.grants.delete(key);
      this.grants.set(key, until);
    }
    while (this.grants.size > this.maxEntries) this.grants.delete(this.grants.keys().next().value!);
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64');
