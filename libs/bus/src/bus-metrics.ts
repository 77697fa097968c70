import { Counter, Histogram, type Registry } from 'prom-client';

/** What the bus counts. Labels are topics and outcomes only: never keys or payload values. */
export interface BusMetrics {
  handled(topic: string, outcome: 'ok' | 'retried' | 'dead-lettered-invalid' | 'dead-lettered-failed'): void;
  handlerSeconds(topic: string, seconds: number): void;
}

export const noopBusMetrics: BusMetrics = { handled() {}, handlerSeconds() {} };

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** Prometheus counters for the bus on the given registry (safe to call more than once). */
export function prometheusBusMetrics(registry: Registry): BusMetrics {
  const handled = reuse(
    registry,
    'opzero_bus_messages_total',
    () =>
      new Counter({
        name: 'opzero_bus_messages_total',
        help: 'Consumed messages by topic and outcome',
        labelNames: ['topic', 'outcome'],
        registers: [registry],
      }),
  );
  const seconds = reuse(
    registry,
    'opzero_bus_handler_seconds',
    () =>
      new Histogram({
        name: 'opzero_bus_handler_seconds',
        help: 'Handler duration by topic',
        labelNames: ['topic'],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
        registers: [registry],
      }),
  );
  return {
    handled: (topic, outcome) => handled.inc({ topic, outcome }),
    handlerSeconds: (topic, value) => seconds.observe({ topic }, value),
  };
}
