import { parseGoDurationMs } from './go-duration';

/** What one health check round learned about one server. */
export interface ServerVerdict {
  healthy: boolean;
  /** The server says it is the raft leader (and is healthy). */
  leader: boolean;
  /** Why the server is not healthy; absent when it is. */
  reason?: string;
  /** Raft commit index the server reported (the leader's is the next round's catch-up floor). */
  commitIndex?: number;
  node?: string;
  datacenter?: string;
}

/** Limits a server's answers are held to. */
export interface VerdictRules {
  /** A follower that last heard from its leader longer ago than this is not trusted. */
  maxLastContactMs: number;
}

/** The parts of `/v1/agent/self` the checks read. */
interface AgentSelf {
  Config?: { NodeName?: string; Datacenter?: string };
  Stats?: { raft?: Record<string, string> };
}

/** The answers of one check round for one server: `/v1/status/leader` and `/v1/agent/self`. */
export interface CheckAnswers {
  leaderStatus: number;
  leaderBody: unknown;
  selfStatus: number;
  selfBody: unknown;
}

const unhealthy = (reason: string, extra: Partial<ServerVerdict> = {}): ServerVerdict => ({ healthy: false, leader: false, reason, ...extra });

/**
 * Judges a server from what it says, not from its status codes: a 200 from `/v1/status/leader`
 * is not enough. The three failures measured on real Consul and what catches each:
 * - a freshly restarted server answers `""` (no leader known)            → leader must be non-empty;
 * - a lone survivor keeps naming its dead leader                         → a follower's raft
 *   `last_contact` must be recent (it stops hearing from a dead leader at once);
 * - a restarted follower answers stale reads before it has replayed raft → its `applied_index`
 *   must reach `catchUpFloor`, the leader's commit index one round earlier.
 */
export function judgeServer(answers: CheckAnswers, rules: VerdictRules, catchUpFloor: number): ServerVerdict {
  if (answers.leaderStatus !== 200) return unhealthy(`/v1/status/leader answered HTTP ${answers.leaderStatus}`);
  if (typeof answers.leaderBody !== 'string' || answers.leaderBody === '') return unhealthy('no leader known (/v1/status/leader is empty)');
  if (answers.selfStatus !== 200) return unhealthy(`/v1/agent/self answered HTTP ${answers.selfStatus} (the gateway token needs agent:read)`);
  const self = (answers.selfBody ?? {}) as AgentSelf;
  const raft = self.Stats?.raft;
  if (!raft) return unhealthy('/v1/agent/self has no raft stats (not a server)');
  const identity = {
    ...(self.Config?.NodeName ? { node: self.Config.NodeName } : {}),
    ...(self.Config?.Datacenter ? { datacenter: self.Config.Datacenter } : {}),
  };
  const commitIndex = Number(raft['commit_index']);
  const appliedIndex = Number(raft['applied_index']);
  const known = { ...identity, ...(Number.isFinite(commitIndex) ? { commitIndex } : {}) };
  const state = raft['state'];
  if (state === 'Leader') return { healthy: true, leader: true, ...known };
  if (state !== 'Follower') return unhealthy(`raft state ${state ?? 'unknown'}`, known);
  const lastContact = parseGoDurationMs(raft['last_contact'] ?? '');
  if (lastContact === undefined) return unhealthy(`never heard from a leader (last_contact ${raft['last_contact'] ?? 'missing'})`, known);
  if (lastContact > rules.maxLastContactMs) return unhealthy(`last heard from the leader ${Math.round(lastContact)} ms ago`, known);
  if (!Number.isFinite(appliedIndex) || appliedIndex < catchUpFloor) {
    return unhealthy(`raft not caught up (applied index ${raft['applied_index']} < leader's ${catchUpFloor})`, known);
  }
  return { healthy: true, leader: false, ...known };
}
