import type { KubeConfig } from '@kubernetes/client-node';
import { KubeSecrets, LeaderElector, loadClientNode, Workloads } from '@opzero/kube';
import { KubeSecretVersionStore, MemoryVersionStore, watchPods, type PodWatch, type RestartableWorkload, type RotationEngine, type VersionStore, type WorkloadRestarter } from '@opzero/rotation';
import type { Logger } from 'pino';
import type { AgentRendererConfig } from '../app.module';

/** The cluster's config: in-cluster (ServiceAccount) or KUBECONFIG. */
export async function kubeConfig(): Promise<KubeConfig> {
  const k8s = await loadClientNode();
  const config = new k8s.KubeConfig();
  config.loadFromDefault();
  return config;
}

/** The configured version store. */
export async function versionStoreFrom(config: AgentRendererConfig): Promise<VersionStore> {
  if (config.STATE_STORE === 'memory') return new MemoryVersionStore();
  return new KubeSecretVersionStore(await KubeSecrets.create(await kubeConfig()), config.KUBERNETES_NAMESPACE, config.STATE_SECRET_NAME);
}

/** Owner lookup and `kubectl rollout restart` over libs/kube. */
export async function restarterFrom(config: AgentRendererConfig): Promise<WorkloadRestarter | undefined> {
  if (!config.RESTART_ON_ROTATE) return undefined;
  const workloads = await Workloads.create(await kubeConfig());
  return {
    async resolve(namespace, owner): Promise<RestartableWorkload | undefined> {
      const workload = await workloads.workloadOfController(namespace, owner);
      return workload && workload.kind !== 'ReplicaSet' ? { ...workload, kind: workload.kind } : undefined;
    },
    async restart(workload) {
      await workloads.rolloutRestart(workload);
    },
  };
}

/** LEADER_ELECTION=true: a Lease elector; otherwise undefined (this replica always leads). */
export async function leaderElectorFrom(config: AgentRendererConfig, hooks: { onStartedLeading: () => void; onStoppedLeading: () => void }): Promise<LeaderElector | undefined> {
  if (!config.LEADER_ELECTION) return undefined;
  return LeaderElector.create(await kubeConfig(), {
    namespace: config.KUBERNETES_NAMESPACE,
    name: config.LEASE_NAME,
    identity: config.POD_NAME,
    leaseDurationMs: config.LEASE_DURATION_MS,
    renewPeriodMs: Math.floor(config.LEASE_DURATION_MS / 3),
    ...hooks,
  });
}

/** The pod watch that drops deleted pods from the index, when the service uses Kubernetes (state Secret or restarts) and POD_WATCH is on. */
export async function podWatchFrom(config: AgentRendererConfig, engine: RotationEngine, logger: Logger): Promise<PodWatch | undefined> {
  if (!config.POD_WATCH || (config.STATE_STORE === 'memory' && !config.RESTART_ON_ROTATE)) return undefined;
  return watchPods(await kubeConfig(), engine.reconciler, {
    onRemoved: (pods, why) => logger.info({ pods, why }, why === 'deleted' ? 'pods deleted: left the index' : 'pods absent from the cluster: left the index'),
    onReconnect: (error) => logger.warn({ error: String(error) }, 'pod watch broke; listing pods again'),
    sweepIntervalMs: Math.min(30_000, Math.max(1_000, config.POD_GRACE_MS / 2)),
    namespaces: config.POD_WATCH_NAMESPACES,
  });
}
