import type { HealthStatus } from '@opzero/vault';

/**
 * What a node is, from `sys/health`: seal-status alone says sealed or not, while health also
 * tells a standby from the active node and an uninitialised node from a sealed one.
 */
export type NodeState = 'active' | 'standby' | 'sealed' | 'uninitialized' | 'unreachable';

/** The state a `sys/health` answer describes (an uninitialised node also reports sealed). */
export function nodeStateOf(health: Pick<HealthStatus, 'initialized' | 'sealed' | 'standby' | 'performance_standby'>): Exclude<NodeState, 'unreachable'> {
  if (!health.initialized) return 'uninitialized';
  if (health.sealed) return 'sealed';
  return health.standby || health.performance_standby === true ? 'standby' : 'active';
}
