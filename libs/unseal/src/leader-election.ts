/**
 * Whether this keeper may act (unseal, emit events). Replicas elect one leader so two keepers
 * never interleave shares on one node; the Kubernetes Lease implementation plugs in here.
 */
export interface LeaderElection {
  isLeader(): boolean;
  /** Stops campaigning and releases leadership if held. */
  stop(): Promise<void>;
}

/** A single keeper: always the leader (one replica, or tests). */
export const singleKeeper: LeaderElection = { isLeader: () => true, stop: async () => undefined };
