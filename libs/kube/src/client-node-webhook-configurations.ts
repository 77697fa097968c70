import type { AdmissionregistrationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { JsonPatchOperation, WebhookConfigurationView, WebhookConfigurations } from './webhook-configurations';

type ClientNode = typeof import('@kubernetes/client-node');

/**
 * Credentials for the API server: the pod's service account when running in a cluster
 * (the kubelet sets KUBERNETES_SERVICE_HOST), otherwise $KUBECONFIG or ~/.kube/config.
 */
export function loadDefaultKubeConfig(config: KubeConfig, inCluster = Boolean(process.env['KUBERNETES_SERVICE_HOST'])): void {
  if (inCluster) config.loadFromCluster();
  else config.loadFromDefault();
}

/**
 * WebhookConfigurations over @kubernetes/client-node's admissionregistration.k8s.io/v1 API.
 * The package is ESM-only and loaded on first use (Node 20.19+ requires ESM natively), so
 * importing @opzero/kube costs nothing to code and tests that never talk to Kubernetes.
 */
export async function clientNodeWebhookConfigurations(
  load: (config: KubeConfig) => void = (config) => loadDefaultKubeConfig(config),
): Promise<WebhookConfigurations> {
  const k8s: ClientNode = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  load(config);
  return new ClientNodeWebhookConfigurations(k8s, config.makeApiClient(k8s.AdmissionregistrationV1Api));
}

class ClientNodeWebhookConfigurations implements WebhookConfigurations {
  constructor(
    private readonly k8s: ClientNode,
    private readonly api: AdmissionregistrationV1Api,
  ) {}

  async get(name: string): Promise<WebhookConfigurationView> {
    const configuration = await this.api.readMutatingWebhookConfiguration({ name });
    return {
      name: configuration.metadata?.name ?? name,
      resourceVersion: configuration.metadata?.resourceVersion,
      webhooks: (configuration.webhooks ?? []).map((webhook) => ({ name: webhook.name, caBundle: webhook.clientConfig.caBundle })),
    };
  }

  async patch(name: string, operations: JsonPatchOperation[]): Promise<void> {
    // The generated client picks a patch content type from a list; state ours explicitly so a
    // client upgrade cannot silently turn this JSON patch into a merge patch.
    await this.api.patchMutatingWebhookConfiguration(
      { name, body: operations, fieldManager: 'opzero-injector' },
      this.k8s.setHeaderOptions('Content-Type', this.k8s.PatchStrategy.JsonPatch),
    );
  }
}
