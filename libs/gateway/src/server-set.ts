import type { ServersChanged } from '@opzero/contracts';
import type { ServerVerdict } from './health/server-verdict';
import type { UpstreamServer } from './upstream-server';

const NONE: ReadonlySet<string> = new Set();

/** Where a request may go: the raft leader only, or any healthy server (`?stale` reads). */
export type RouteTarget = 'leader' | 'any';

interface Entry {
  server: UpstreamServer;
  seed: boolean;
  healthy: boolean;
  leader: boolean;
  reason: string;
  /** Requests in flight to this server (least-outstanding choice for `any`). */
  inFlight: number;
}

interface Waiter {
  target: RouteTarget;
  exclude: ReadonlySet<string>;
  resolve: (server: UpstreamServer | undefined) => void;
  timer: NodeJS.Timeout;
}

/** Hooks a ServerSet calls; the app turns them into events and metrics. */
export interface ServerSetListener {
  /** The healthy set or the leader changed; the event is ready to publish. */
  changed?(event: ServersChanged): void;
  /** A server stopped being healthy (active check or connection error). */
  lost?(server: UpstreamServer, reason: string): void;
}

/** One row of the gateway's view, for /metrics and logs. */
export interface ServerStatus {
  id: string;
  node?: string;
  healthy: boolean;
  leader: boolean;
  reason: string;
  inFlight: number;
}

/**
 * The gateway's view of the Consul servers: which exist (seeds plus discovery), which are
 * healthy, which leads. Requests ask it for a server and wait (bounded) while none fits, which
 * is how reads are held through a leader election instead of failing. It never does I/O:
 * HealthChecker and Discovery feed it, the proxy reads it.
 */
export class ServerSet {
  private readonly entries = new Map<string, Entry>();
  private waiters: Waiter[] = [];
  private rotation = 0;
  private lastHealthy = new Set<string>();
  private lastLeader: string | undefined;
  /** The last leader that was known, kept through the leaderless gap of an election. */
  private lastKnownLeader: string | undefined;
  private readonly listeners: ServerSetListener[] = [];
  private datacenter = 'dc1';

  constructor(seeds: readonly UpstreamServer[]) {
    for (const server of seeds) this.entries.set(server.id, this.newEntry(server, true));
  }

  /** Adds hooks for changes and lost servers. */
  addListener(listener: ServerSetListener): void {
    this.listeners.push(listener);
  }

  private lost(server: UpstreamServer, reason: string): void {
    for (const listener of this.listeners) listener.lost?.(server, reason);
  }

  private newEntry(server: UpstreamServer, seed: boolean): Entry {
    return { server, seed, healthy: false, leader: false, reason: 'not checked yet', inFlight: 0 };
  }

  /** Every known server, healthy or not. */
  all(): UpstreamServer[] {
    return [...this.entries.values()].map((entry) => entry.server);
  }

  /** The healthy leader, if one is known. */
  leader(): UpstreamServer | undefined {
    for (const entry of this.entries.values()) if (entry.leader && entry.healthy) return entry.server;
    return undefined;
  }

  status(): ServerStatus[] {
    return [...this.entries.values()].map((entry) => ({
      id: entry.server.id,
      ...(entry.server.node ? { node: entry.server.node } : {}),
      healthy: entry.healthy,
      leader: entry.leader && entry.healthy,
      reason: entry.reason,
      inFlight: entry.inFlight,
    }));
  }

  /**
   * Replaces the discovered part of the set: new servers are added (unhealthy until checked),
   * discovered servers no source reports any more are removed; seeds always stay.
   */
  reconcile(discovered: readonly UpstreamServer[]): void {
    const seen = new Set<string>();
    for (const server of discovered) {
      seen.add(server.id);
      const entry = this.entries.get(server.id);
      if (!entry) this.entries.set(server.id, this.newEntry(server, false));
      else if (server.dnsPort !== entry.server.dnsPort || (server.node && server.node !== entry.server.node)) entry.server = { ...entry.server, ...server };
    }
    for (const [id, entry] of this.entries) if (!entry.seed && !seen.has(id)) this.entries.delete(id);
    this.settle();
  }

  /** Results of one active check round (servers absent from `verdicts` keep their state). */
  applyVerdicts(verdicts: ReadonlyMap<string, ServerVerdict>): void {
    for (const [id, verdict] of verdicts) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      if (entry.healthy && !verdict.healthy) this.lost(entry.server, verdict.reason ?? 'unhealthy');
      if (verdict.datacenter) this.datacenter = verdict.datacenter;
      entry.healthy = verdict.healthy;
      entry.leader = verdict.leader;
      entry.reason = verdict.reason ?? 'ok';
      if (verdict.node && verdict.node !== entry.server.node) entry.server = { ...entry.server, node: verdict.node };
    }
    this.settle();
  }

  /** Passive check: a connection to the server failed; it gets no traffic until a check passes. */
  eject(id: string, reason: string): void {
    const entry = this.entries.get(id);
    if (!entry || !entry.healthy) return;
    entry.healthy = false;
    entry.reason = `ejected: ${reason}`;
    this.lost(entry.server, entry.reason);
    this.settle();
  }

  /** A fitting server now, without waiting (the common case: no promise, no timer). */
  pickNow(target: RouteTarget): UpstreamServer | undefined {
    return this.pick(target, NONE);
  }

  /** The server now, or after waiting until one fits or `deadline` (ms epoch) passes. */
  async acquire(target: RouteTarget, deadline: number, exclude: ReadonlySet<string> = NONE): Promise<UpstreamServer | undefined> {
    const now = this.pick(target, exclude);
    if (now || Date.now() >= deadline) return now;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        target,
        exclude,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(this.pick(target, exclude));
        }, deadline - Date.now()),
      };
      this.waiters.push(waiter);
    });
  }

  /** Counts a request in flight on a server; call the returned function when it ends. */
  track(server: UpstreamServer): () => void {
    const entry = this.entries.get(server.id);
    if (!entry) return () => undefined;
    entry.inFlight++;
    return () => {
      entry.inFlight--;
    };
  }

  /** Leader for `leader`; for `any`, the healthy server with the fewest requests in flight. */
  private pick(target: RouteTarget, exclude: ReadonlySet<string>): UpstreamServer | undefined {
    if (target === 'leader') {
      const leader = this.leader();
      return leader && !exclude.has(leader.id) ? leader : undefined;
    }
    const healthy = [...this.entries.values()].filter((entry) => entry.healthy && !exclude.has(entry.server.id));
    if (healthy.length === 0) return undefined;
    // Rotate the starting point so ties spread instead of always landing on the first server.
    this.rotation = (this.rotation + 1) % healthy.length;
    let best = healthy[this.rotation] as Entry;
    for (const entry of healthy) if (entry.inFlight < best.inFlight) best = entry;
    return best.server;
  }

  /** Wakes waiters that can go now and reports a change of the healthy set or the leader. */
  private settle(): void {
    if (this.waiters.length > 0) {
      const still: Waiter[] = [];
      for (const waiter of this.waiters) {
        const server = this.pick(waiter.target, waiter.exclude);
        if (server) {
          clearTimeout(waiter.timer);
          waiter.resolve(server);
        } else still.push(waiter);
      }
      this.waiters = still;
    }
    const healthy = new Set([...this.entries.values()].filter((entry) => entry.healthy).map((entry) => entry.server.id));
    const leader = this.leader()?.id;
    const same = healthy.size === this.lastHealthy.size && [...healthy].every((id) => this.lastHealthy.has(id)) && leader === this.lastLeader;
    if (same) return;
    const event: ServersChanged = {
      datacenter: this.datacenter,
      servers: [...this.entries.values()].map((entry) => ({
        address: entry.server.id,
        healthy: entry.healthy,
        leader: entry.healthy && entry.leader,
      })),
      added: [...healthy].filter((id) => !this.lastHealthy.has(id)),
      removed: [...this.lastHealthy].filter((id) => !healthy.has(id)),
      ...(leader ? { leader } : {}),
      ...(this.lastKnownLeader && this.lastKnownLeader !== leader ? { previousLeader: this.lastKnownLeader } : {}),
      changedAt: new Date().toISOString(),
    };
    this.lastHealthy = healthy;
    this.lastLeader = leader;
    if (leader) this.lastKnownLeader = leader;
    for (const listener of this.listeners) listener.changed?.(event);
  }

  /** Resolves pending waiters with nothing (shutdown). */
  close(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(undefined);
    }
    this.waiters = [];
  }
}
