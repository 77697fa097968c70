import * as k from './annotation-keys';
import type { AnnotationReader } from './annotation-reader';
import type { ServiceAccountTokenVolume } from './agent-spec';
import type { Pod, Volume } from './pod-types';

/** Where vault-k8s mounts a named token volume that no app container mounts. */
export const DEFAULT_SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/vault.hashicorp.com/serviceaccount';

/**
 * The token volume the agent authenticates with: the one named by
 * `agent-service-account-token-volume-name`, else the first container mount whose path
 * contains "serviceaccount" (the API server's kube-api-access-* volume).
 */
export function findServiceAccountTokenVolume(pod: Pod, reader: AnnotationReader): ServiceAccountTokenVolume | undefined {
  const containers = pod.spec?.containers ?? [];
  const volumes = pod.spec?.volumes ?? [];
  const volumeName = reader.string(k.AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME);
  if (volumeName !== '') {
    const volume = volumes.find((v) => v.name === volumeName);
    const tokenPath = volume ? projectedTokenPath(volume) : undefined;
    if (!volume || tokenPath === undefined) {
      reader.problem(
        k.AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME,
        volumeName,
        volume
          ? 'names a volume without a projected serviceAccountToken source; name a projected token volume'
          : 'names no volume of the pod; name a projected service account token volume in spec.volumes',
      );
      return undefined;
    }
    for (const container of containers) {
      const mount = (container.volumeMounts ?? []).find((m) => m.name === volumeName);
      if (mount) return { name: mount.name, mountPath: mount.mountPath, tokenPath };
    }
    return { name: volume.name, mountPath: DEFAULT_SERVICE_ACCOUNT_MOUNT, tokenPath };
  }
  for (const container of containers) {
    const mount = (container.volumeMounts ?? []).find((m) => m.mountPath.includes('serviceaccount'));
    if (mount) return { name: mount.name, mountPath: mount.mountPath, tokenPath: 'token' };
  }
  reader.problem(
    k.AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME,
    undefined,
    'is not set and no container mounts a service account token; set automountServiceAccountToken or name a projected token volume here',
  );
  return undefined;
}

function projectedTokenPath(volume: Volume): string | undefined {
  for (const source of volume.projected?.sources ?? []) {
    const path = source.serviceAccountToken?.path;
    if (path) return path;
  }
  return undefined;
}

/** The IRSA token mount (EKS pod identity) the agent needs for `auth-type: aws`. */
export function findAwsIamTokenMount(pod: Pod): { name: string; mountPath: string } | undefined {
  for (const container of pod.spec?.containers ?? []) {
    const mount = (container.volumeMounts ?? []).find((m) => m.mountPath.includes('eks.amazonaws.com'));
    if (mount) return { name: mount.name, mountPath: mount.mountPath };
  }
  return undefined;
}
