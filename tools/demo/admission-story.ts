// The seed's devwebapp pod created through a real Kubernetes API server, which calls the
// demo's injector as a mutating admission webhook.
import { INJECTION_LABEL, injectorWebhookConfiguration, seedPod, waitFor, type KubernetesServer } from '@opzero/testing';

const NAMESPACE = 'demo';

interface AdmittedPod {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { initContainers?: { name: string; image: string }[]; containers: { name: string }[] };
}

/** Registers the injector (`mutateUrl`, serving a certificate of `ca`) and creates the seed pod through the API server. */
export async function admissionStory(kube: KubernetesServer, mutateUrl: string, ca: string): Promise<void> {
  await kube.client.call('create', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { [INJECTION_LABEL]: 'enabled' } } });
  await kube.client.call('create', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'internal-app', namespace: NAMESPACE } });
  const webhook = injectorWebhookConfiguration('opzero-demo-injector', mutateUrl, 'Fail');
  for (const entry of webhook.webhooks) Object.assign(entry.clientConfig, { caBundle: Buffer.from(ca).toString('base64') });
  await kube.client.call('create', webhook);
  console.log(`  MutatingWebhookConfiguration opzero-demo-injector -> ${mutateUrl} (failurePolicy Fail), namespace ${NAMESPACE} labelled ${INJECTION_LABEL}=enabled`);
  // failurePolicy Fail: the API server refuses the pod until it can call the webhook.
  const pod = await waitFor('the API server to admit devwebapp through the injector', () => kube.client.call<AdmittedPod>('create', seedPod(NAMESPACE)), {
    timeoutMs: 120_000,
    intervalMs: 250,
  });
  const init = (pod.spec.initContainers ?? []).map((c) => `${c.name} (${c.image})`);
  console.log(`  kube-apiserver ${kube.version}: pod ${NAMESPACE}/${pod.metadata.name} created; injected init containers: ${init.join(', ') || 'none'}`);
  console.log(`  containers: ${pod.spec.containers.map((c) => c.name).join(', ')}; agent-inject-status=${pod.metadata.annotations?.['vault.hashicorp.com/agent-inject-status']}`);
}
