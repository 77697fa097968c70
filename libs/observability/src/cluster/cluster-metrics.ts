import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { METRICS_REPLY, METRICS_REQUEST, type MetricsReply, type MetricsRequest } from './metrics-messages';

let nextId = 0;

/**
 * The Prometheus text for /metrics. In a cluster worker, a scrape lands on one worker, so it
 * asks the primary for every worker's metrics summed; otherwise it is this registry's.
 */
export function metricsText(registry: Registry): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const onMessage = (message: MetricsReply) => {
      if (message?.type !== METRICS_REPLY || message.id !== id) return;
      process.off('message', onMessage);
      clearTimeout(timer);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('cluster metrics: the primary did not answer within 5 s'));
    }, 5_000);
    process.on('message', onMessage);
    process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
  });
}

/** In a cluster worker, makes this registry the one the primary collects from. */
export function shareWithClusterPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  AggregatorRegistry.setRegistries([registry]);
}
