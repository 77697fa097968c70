import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { KubeBridgeOperation } from './kube-bridge-server';

/** Which object: apiVersion, kind, name and (for namespaced kinds) namespace. */
export interface ObjectHeader {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What `list` selects. */
export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

/** A TokenRequest for a ServiceAccount. */
export interface TokenQuery {
  namespace: string;
  serviceAccount: string;
  audiences?: string[];
  expirationSeconds?: number;
}

/** Loads client-node (ESM) in a process that can, and an admin KubeConfig from a kubeconfig file. */
export async function clientNodeFor(kubeconfigFile: string) {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  config.loadFromFile(kubeconfigFile);
  return { k8s, config };
}

/**
 * Generic object operations over client-node's KubernetesObjectApi (create, read, list, merge
 * patch, replace, delete) and TokenRequest, for tests that set up and inspect any kind of object.
 */
export function kubeObjectOperations(
  k8s: typeof import('@kubernetes/client-node'),
  config: KubeConfig,
): Record<string, KubeBridgeOperation> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(config);
  const core = config.makeApiClient(k8s.CoreV1Api);
  return {
    create: (object: KubernetesObject) => objects.create(object),
    read: (header: ObjectHeader) => objects.read(header),
    list: async (query: ListQuery) =>
      (await objects.list(query.apiVersion, query.kind, query.namespace, undefined, undefined, undefined, undefined, query.labelSelector)).items,
    patch: (object: KubernetesObject) =>
      objects.patch(object, undefined, undefined, 'opzero-test', undefined, k8s.PatchStrategy.MergePatch),
    replace: (object: KubernetesObject) => objects.replace(object, undefined, undefined, 'opzero-test'),
    delete: async (header: ObjectHeader) => {
      await objects.delete(header, undefined, undefined, 0, undefined, 'Background');
      return null;
    },
    token: async (query: TokenQuery) => {
      const response = await core.createNamespacedServiceAccountToken({
        namespace: query.namespace,
        name: query.serviceAccount,
        body: { spec: { audiences: query.audiences ?? [], expirationSeconds: query.expirationSeconds ?? 3600 } },
      });
      return response.status?.token ?? null;
    },
  };
}
