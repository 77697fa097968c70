import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { NodeState } from './node-state';
import type { UnsealFailureReason } from './unseal-failure';

/** What the keeper counts; labels are node addresses and reasons, never key material. */
export interface UnsealMetrics {
  /** The node's last observed state. */
  nodeState(node: string, state: NodeState): void;
  unsealed(node: string, durationMs: number): void;
  failed(node: string, reason: UnsealFailureReason): void;
  /** The node left the watched set (discovery): drop its series. */
  forget?(node: string): void;
}

export const noopUnsealMetrics: UnsealMetrics = { nodeState() {}, unsealed() {}, failed() {} };

const STATES: readonly NodeState[] = ['active', 'standby', 'sealed', 'uninitialized', 'unreachable'];

/** UnsealMetrics as Prometheus series in `registry`. */
export function prometheusUnsealMetrics(registry: Registry): UnsealMetrics {
  const sealed = new Gauge({ name: 'opzero_vault_node_sealed', help: '1 while the node reports sealed, 0 unsealed', labelNames: ['node'], registers: [registry] });
  const reachable = new Gauge({ name: 'opzero_vault_node_reachable', help: '1 when the last sys/health poll answered', labelNames: ['node'], registers: [registry] });
  const state = new Gauge({
    name: 'opzero_vault_node_state',
    help: '1 for the state sys/health last reported (active, standby, sealed, uninitialized, unreachable), 0 for the others',
    labelNames: ['node', 'state'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'opzero_unseal_duration_seconds',
    help: 'From sealed detection to sealed=false',
    labelNames: ['node'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const failures = new Counter({ name: 'opzero_unseal_failures_total', help: 'Failed unseal attempts by reason', labelNames: ['node', 'reason'], registers: [registry] });
  const last = new Map<string, NodeState>();
  return {
    nodeState(node, now) {
      // Polls repeat the same state: only a change touches the series.
      if (last.get(node) === now) return;
      last.set(node, now);
      reachable.set({ node }, now === 'unreachable' ? 0 : 1);
      if (now !== 'unreachable') sealed.set({ node }, now === 'sealed' || now === 'uninitialized' ? 1 : 0);
      for (const each of STATES) state.set({ node, state: each }, each === now ? 1 : 0);
    },
    unsealed: (node, durationMs) => duration.observe({ node }, durationMs / 1000),
    failed: (node, reason) => failures.inc({ node, reason }),
    forget(node) {
      last.delete(node);
      for (const gauge of [sealed, reachable]) gauge.remove({ node });
      for (const each of STATES) state.remove({ node, state: each });
      duration.remove({ node });
      // Failure counts stay: a counter that vanished would read as a reset.
    },
  };
}
