import type { LeaderElector } from '@opzero/kube';
import type { LeaderElection } from './leader-election';

/**
 * LeaderElection over a Kubernetes Lease (libs/kube's client-go style LeaderElector): replicas
 * campaign, one holds the Lease and acts; when it dies a follower takes over after the lease
 * duration, resets any partial unseal progress it left and unseals.
 */
export function leaseLeaderElection(elector: Pick<LeaderElector, 'isLeader' | 'start' | 'stop'>): LeaderElection {
  elector.start();
  return { isLeader: () => elector.isLeader, stop: () => elector.stop() };
}
