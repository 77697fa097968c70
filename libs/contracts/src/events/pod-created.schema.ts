import { z } from 'zod';
import { kubeName, timestamp, vaultPath } from '../common.schema';

/** How the injected agent runs in the pod. */
export const injectionMode = z.enum(['init', 'sidecar', 'both']);

/**
 * Produced by the injector after it mutated a pod. The agent-renderer service indexes pods by
 * the secret paths they render, so it can refresh or restart them when a secret rotates.
 */
export const podCreatedSchema = z
  .object({
    /** The AdmissionReview request uid: unique per admission, used to de-duplicate. */
    admissionUid: z.string().min(1).max(128),
    namespace: kubeName,
    /** Set when the pod spec names the pod; otherwise generateName is. */
    podName: kubeName.optional(),
    generateName: z.string().min(1).max(253).optional(),
    /** The workload that owns the pod (ReplicaSet, StatefulSet, Job...), for rollout restarts. */
    owner: z.object({ kind: z.string().min(1), name: kubeName }).optional(),
    serviceAccount: kubeName,
    /** The Vault role the agent authenticates with; absent when its auth needs none (agent-configmap, token). */
    role: z.string().min(1).max(256).optional(),
    mode: injectionMode,
    /** `opzero.io/restart-on-rotate`: roll the workload when one of its secrets rotates. */
    restartOnRotate: z.boolean(),
    /** Secrets with a Vault path (`agent-inject-secret-NAME`); the paths the agent-renderer watches. */
    secrets: z
      .array(z.object({ name: z.string().min(1).max(253), path: vaultPath }))
      .max(500),
    injectedAt: timestamp,
  })
  .strict()
  .refine((pod) => pod.podName !== undefined || pod.generateName !== undefined, {
    message: 'one of podName or generateName is required',
    path: ['podName'],
  });

export type PodCreated = z.infer<typeof podCreatedSchema>;

/** Ordering per pod: all events of one pod (by name, or generateName prefix) share a partition. */
export const podCreatedKey = (event: PodCreated): string =>
  `${event.namespace}/${event.podName ?? event.generateName}`;
