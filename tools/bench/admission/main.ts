/**
 * Admission latency the API server adds for opzero's injector: 200 pod creations through the
 * webhook against 200 without it, on the same real kube-apiserver, interleaved one by one so
 * both see the same machine load. Prints p50/p99 of each and the ratio. Run: npm run bench:admission
 */
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { INJECTION_LABEL, injectorWebhookConfiguration, seedPod, startInjectorForCluster, startKubernetes, waitFor } from '@opzero/testing';
import { percentile, printTable } from '../stats';

const PODS = Number(process.env['BENCH_PODS'] ?? 200);
const WARMUP = 10;
const CONFIG = 'opzero-injector';

async function main(): Promise<void> {
  const kube = await startKubernetes();
  const injector = await startInjectorForCluster(kube, CONFIG);
  try {
    const core = (await kube.kubeConfig()).makeApiClient(CoreV1Api);
    for (const [name, labels] of [['plain', {}], ['injected', { [INJECTION_LABEL]: 'enabled' }]] as const) {
      await core.createNamespace({ body: { metadata: { name, labels } } });
      await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'internal-app' } } });
    }
    await kube.client.call('create', injectorWebhookConfiguration(CONFIG, injector.url, 'Fail'));
    let serial = 0;
    const create = async (namespace: string): Promise<{ ms: number; pod: V1Pod }> => {
      const started = process.hrtime.bigint();
      const pod = await core.createNamespacedPod({ namespace, body: seedPod(namespace, `bench-${++serial}`) as V1Pod });
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, pod };
    };
    await waitFor('the injector to be trusted', () => create('injected'), { timeoutMs: 120_000, intervalMs: 250 });
    for (let i = 0; i < WARMUP; i++) await Promise.all([create('plain'), create('injected')]);

    const without: number[] = [];
    const withWebhook: number[] = [];
    for (let i = 0; i < PODS; i++) {
      without.push((await create('plain')).ms);
      const injected = await create('injected');
      if (!injected.pod.spec?.initContainers?.some((container) => container.name === 'vault-agent-init')) throw new Error('a pod was admitted unmutated');
      withWebhook.push(injected.ms);
    }
    const row = (name: string, values: number[]) => [name, percentile(values, 50).toFixed(1), percentile(values, 99).toFixed(1)];
    console.log(`\nPod creation latency as the client sees it (${kube.description}), ${PODS} pods each, sequential:`);
    printTable(['case', 'p50 ms', 'p99 ms'], [row('without webhook (reference)', without), row('with opzero injector', withWebhook)]);
    const ratio = (p: number) => (percentile(withWebhook, p) / percentile(without, p)).toFixed(2);
    console.log(`ratio with/without: p50 ${ratio(50)}x, p99 ${ratio(99)}x; added p50 ${(percentile(withWebhook, 50) - percentile(without, 50)).toFixed(1)} ms`);
  } finally {
    await injector.process.stop();
    await kube.stop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
