// The seed's devwebapp pod created through a real Kubernetes API server, which calls the
// demo's injector as a mutating admission webhook.
import { INJECTION_LABEL, injectorWebhookConfiguration, seedPod, waitFor, type KubernetesServer } from '@opzero/testing';
import type { AdmittedPod } from './agent-story';

/** The demo's namespace (labelled for injection) and the pods' ServiceAccount. */
export const NAMESPACE = 'demo';
export const SERVICE_ACCOUNT = 'internal-app';

/** Registers the injector (`mutateUrl`, serving a certificate of `ca`), creates the seed pod through the API server and returns it as admitted. */
export async function admissionStory(kube: KubernetesServer, mutateUrl: string, ca: string): Promise<AdmittedPod> {
  await kube.client.call('create', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { [INJECTION_LABEL]: 'enabled' } } });
  await kube.client.call('create', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } });
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
  return pod;
}

/** The seed pod without `agent-pre-populate-only`: the injector gives it a vault-agent sidecar too. */
export async function createSidecarPod(kube: KubernetesServer, name: string): Promise<AdmittedPod> {
  const pod = seedPod(NAMESPACE, name);
  delete (pod.metadata.annotations as Record<string, string>)['vault.hashicorp.com/agent-pre-populate-only'];
  const admitted = await kube.client.call<AdmittedPod>('create', pod);
  console.log(`  pod ${NAMESPACE}/${name} (not pre-populate-only) created; containers: ${admitted.spec.containers.map((c) => c.name).join(', ')}`);
  return admitted;
}
