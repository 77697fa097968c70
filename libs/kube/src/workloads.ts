import type { AppsV1Api, KubeConfig, V1OwnerReference } from '@kubernetes/client-node';
import { loadClientNode, type ClientNode } from './client-node';

/** The kinds `kubectl rollout restart` restarts. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** A workload controller that owns pods. */
export interface Workload {
  kind: WorkloadKind | 'ReplicaSet';
  namespace: string;
  name: string;
}

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const controllerOf = (references: V1OwnerReference[] | undefined) => references?.find((reference) => reference.controller);

/** Pod owners and rollout restarts over apps/v1. */
export class Workloads {
  private constructor(
    private readonly k8s: ClientNode,
    private readonly core: InstanceType<ClientNode['CoreV1Api']>,
    private readonly apps: AppsV1Api,
  ) {}

  /** Workloads for the cluster `config` points at. */
  static async create(config: KubeConfig): Promise<Workloads> {
    const k8s = await loadClientNode();
    return new Workloads(k8s, config.makeApiClient(k8s.CoreV1Api), config.makeApiClient(k8s.AppsV1Api));
  }

  /**
   * The workload that owns a pod, following controller references: Pod → ReplicaSet →
   * Deployment, or a StatefulSet or DaemonSet; a ReplicaSet nobody owns is itself the owner.
   * Undefined for a bare pod or one owned by something else (a Job, say).
   */
  async ownerOfPod(namespace: string, podName: string): Promise<Workload | undefined> {
    const pod = await this.core.readNamespacedPod({ namespace, name: podName });
    const owner = controllerOf(pod.metadata?.ownerReferences);
    return owner ? this.workloadOfController(namespace, owner) : undefined;
  }

  /**
   * The workload behind a pod's controller reference (as an admission request carries it, before
   * the pod has a name): a ReplicaSet resolves to its Deployment; undefined for a Job and others.
   */
  async workloadOfController(namespace: string, owner: { kind: string; name: string }): Promise<Workload | undefined> {
    if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') return { kind: owner.kind, namespace, name: owner.name };
    if (owner.kind !== 'ReplicaSet') return undefined;
    const replicaSet = await this.apps.readNamespacedReplicaSet({ namespace, name: owner.name });
    const deployment = controllerOf(replicaSet.metadata?.ownerReferences);
    if (deployment?.kind === 'Deployment') return { kind: 'Deployment', namespace, name: deployment.name };
    return { kind: 'ReplicaSet', namespace, name: owner.name };
  }

  /**
   * Restarts a workload's pods the way `kubectl rollout restart` does: a strategic merge patch
   * that stamps the pod template with `kubectl.kubernetes.io/restartedAt`, so the controller
   * rolls out new pods (a Deployment gets a new ReplicaSet). Returns the timestamp written.
   */
  async rolloutRestart(workload: { kind: WorkloadKind; namespace: string; name: string }, now = new Date()): Promise<string> {
    // kubectl writes time.Now().Format(time.RFC3339): seconds precision, no fraction.
    const restartedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } } };
    const options = this.k8s.setHeaderOptions('Content-Type', this.k8s.PatchStrategy.StrategicMergePatch);
    const request = { namespace: workload.namespace, name: workload.name, body, fieldManager: 'opzero' };
    if (workload.kind === 'Deployment') await this.apps.patchNamespacedDeployment(request, options);
    else if (workload.kind === 'StatefulSet') await this.apps.patchNamespacedStatefulSet(request, options);
    else await this.apps.patchNamespacedDaemonSet(request, options);
    return restartedAt;
  }
}
