import type { ServerSet } from '../server-set';
import type { UpstreamServer } from '../upstream-server';
import type { DiscoverySource } from './discovery-source';

export interface DiscoveryOptions {
  intervalMs: number;
  /** Told when a source fails (the reason, never a token). */
  onSourceError?(source: string, error: Error): void;
  /** After each round; `added` tells whether servers were added (to check them at once). */
  afterRound?(added: boolean): void;
}

/**
 * Runs every discovery source on an interval and hands the union of their answers to the
 * ServerSet. A source that fails keeps its previous answer, so one flaky source never empties
 * the set.
 */
export class Discovery {
  private readonly lastAnswers = new Map<string, UpstreamServer[]>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly servers: ServerSet,
    private readonly sources: readonly DiscoverySource[],
    private readonly options: DiscoveryOptions,
  ) {}

  async start(): Promise<void> {
    await this.round();
  }

  /** One pass over every source. */
  async round(): Promise<void> {
    clearTimeout(this.timer);
    const known = this.knownHealthyFirst();
    await Promise.all(
      this.sources.map(async (source) => {
        try {
          this.lastAnswers.set(source.name, await source.discover(known));
        } catch (error) {
          this.options.onSourceError?.(source.name, error as Error);
        }
      }),
    );
    if (this.stopped) return;
    const before = new Set(this.servers.all().map((server) => server.id));
    if (this.lastAnswers.size > 0) this.servers.reconcile([...this.lastAnswers.values()].flat());
    this.options.afterRound?.(this.servers.all().some((server) => !before.has(server.id)));
    this.timer = setTimeout(() => void this.round(), this.options.intervalMs);
  }

  private knownHealthyFirst(): UpstreamServer[] {
    const status = new Map(this.servers.status().map((row) => [row.id, row.healthy]));
    return this.servers.all().sort((a, b) => Number(status.get(b.id) ?? false) - Number(status.get(a.id) ?? false));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const source of this.sources) source.close?.();
  }
}
