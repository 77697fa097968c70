import { ConsulError } from '@opzero/consul';
import { ConsulClientPool } from '../consul-client-pool';
import type { ServerSet } from '../server-set';
import type { UpstreamServer } from '../upstream-server';
import { judgeServer, type ServerVerdict, type VerdictRules } from './server-verdict';

export interface HealthCheckerOptions extends VerdictRules {
  /** Pause between rounds while a leader is known. */
  intervalMs: number;
  /** Pause between rounds while no leader is known (an election: find the new one fast). */
  fastIntervalMs: number;
  /** Deadline of one probe. */
  timeoutMs: number;
  /** ACL token with agent:read, sent as X-Consul-Token; never logged. */
  token?: string;
}

/** A probe's answer as judgeServer reads it: the status, and the body when there was one. */
async function answer<T>(call: () => Promise<T>): Promise<{ status: number; body: unknown }> {
  try {
    return { status: 200, body: await call() };
  } catch (error) {
    // No HTTP answer at all (refused, timed out): the server is unreachable, said by the caller.
    if (error instanceof ConsulError && error.status > 0) return { status: error.status, body: error.detail };
    throw error;
  }
}

/**
 * Active checks: every round asks each known server `/v1/status/leader` and `/v1/agent/self`
 * (libs/consul, a fresh connection per probe so it proves the server accepts connections now)
 * and judges the answers (see judgeServer). The leader's commit index from one round is the
 * catch-up floor of the next. `checkNow` runs a round at once (after a passive ejection).
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private catchUpFloor = 0;
  private readonly clients: ConsulClientPool;

  constructor(
    private readonly servers: ServerSet,
    private readonly options: HealthCheckerOptions,
  ) {
    // A fresh connection per probe: it proves the server accepts connections now.
    this.clients = new ConsulClientPool({ timeoutMs: options.timeoutMs, token: options.token, keepAlive: false });
  }

  /** Runs the first round and schedules the next ones. */
  async start(): Promise<void> {
    await this.checkNow();
  }

  /** Runs a round now, or right after the one in progress; resolves when it is done. */
  checkNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        void this.checkNow();
        return;
      }
      const pause = this.servers.leader() ? this.options.intervalMs : this.options.fastIntervalMs;
      this.timer = setTimeout(() => void this.checkNow(), pause);
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const servers = this.servers.all();
    const verdicts = await Promise.all(servers.map((server) => this.check(server)));
    const byId = new Map(servers.map((server, i) => [server.id, verdicts[i] as ServerVerdict]));
    const leader = verdicts.find((verdict) => verdict.leader);
    if (leader?.commitIndex !== undefined) this.catchUpFloor = leader.commitIndex;
    if (!this.stopped) this.servers.applyVerdicts(byId);
  }

  private async check(server: UpstreamServer): Promise<ServerVerdict> {
    try {
      const client = this.clients.for(server);
      const [leader, self] = await Promise.all([answer(() => client.leader()), answer(() => client.agentSelf())]);
      return judgeServer(
        { leaderStatus: leader.status, leaderBody: leader.body, selfStatus: self.status, selfBody: self.body },
        this.options,
        this.catchUpFloor,
      );
    } catch (error) {
      const code = error instanceof ConsulError ? error.code : undefined;
      return { healthy: false, leader: false, reason: code ? `unreachable (${code})` : (error as Error).message };
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.clients.close();
  }
}
