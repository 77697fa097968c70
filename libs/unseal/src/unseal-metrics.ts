import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { UnsealFailureReason } from './unseal-failure';

/** What the keeper counts; labels are node addresses and reasons, never key material. */
export interface UnsealMetrics {
  /** The node's last observed state. */
  nodeState(node: string, state: 'sealed' | 'unsealed' | 'unreachable'): void;
  unsealed(node: string, durationMs: number): void;
  failed(node: string, reason: UnsealFailureReason): void;
}

export const noopUnsealMetrics: UnsealMetrics = { nodeState() {}, unsealed() {}, failed() {} };

/** UnsealMetrics as Prometheus series in `registry`. */
export function prometheusUnsealMetrics(registry: Registry): UnsealMetrics {
  const sealed = new Gauge({ name: 'opzero_vault_node_sealed', help: '1 while the node reports sealed, 0 unsealed', labelNames: ['node'], registers: [registry] });
  const reachable = new Gauge({ name: 'opzero_vault_node_reachable', help: '1 when the last seal-status poll answered', labelNames: ['node'], registers: [registry] });
  const duration = new Histogram({
    name: 'opzero_unseal_duration_seconds',
    help: 'From sealed detection to sealed=false',
    labelNames: ['node'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const failures = new Counter({ name: 'opzero_unseal_failures_total', help: 'Failed unseal attempts by reason', labelNames: ['node', 'reason'], registers: [registry] });
  return {
    nodeState(node, state) {
      reachable.set({ node }, state === 'unreachable' ? 0 : 1);
      if (state !== 'unreachable') sealed.set({ node }, state === 'sealed' ? 1 : 0);
    },
    unsealed: (node, durationMs) => duration.observe({ node }, durationMs / 1000),
    failed: (node, reason) => failures.inc({ node, reason }),
  };
}
