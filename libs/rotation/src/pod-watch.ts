import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { loadClientNode } from '@opzero/kube';
import type { LivePod, PodReconciler } from './pod-reconciler';

/** A running pod watch; stop() ends it. */
export interface PodWatch {
  stop(): Promise<void>;
}

export interface PodWatchOptions {
  /** Index entries dropped, and why (`deleted`, or `absent` after the grace at a sweep). */
  onRemoved: (keys: string[], why: 'deleted' | 'absent') => void;
  /** The watch broke (the API server went away) and is being re-established. */
  onReconnect?: (error: unknown) => void;
  /** How often entries no live pod matches are swept. Default 30 s. */
  sweepIntervalMs?: number;
  /** Wait before listing again after an error. Default 1 s. */
  retryDelayMs?: number;
  /** Watch only these namespaces (one watch each, for Role-only RBAC); empty or absent: the whole cluster. */
  namespaces?: readonly string[];
}

/** The part of a pod the reconciler matches on. */
export function livePodOf(pod: V1Pod): LivePod | undefined {
  const { namespace, name, generateName, deletionTimestamp } = pod.metadata ?? {};
  if (!namespace || !name) return undefined;
  return { namespace, name, ...(generateName ? { generateName } : {}), ...(deletionTimestamp ? { deletedAt: new Date(deletionTimestamp).getTime() } : {}) };
}

/**
 * Watches every pod of the cluster, or of the given namespaces (client-node's informer: list, then watch from that
 * resourceVersion) and feeds the reconciler: deletions at once, the full list after every
 * (re)list, and a sweep every sweepIntervalMs. After an error (the API server restarted) it
 * lists again after retryDelayMs, so a pod deleted meanwhile is found missing.
 */
export async function watchPods(config: KubeConfig, reconciler: PodReconciler, options: PodWatchOptions): Promise<PodWatch> {
  const k8s = await loadClientNode();
  const core = config.makeApiClient(k8s.CoreV1Api);
  const scopes = options.namespaces?.length ? [...new Set(options.namespaces)] : [undefined];
  const informers = scopes.map((namespace) =>
    namespace === undefined
      ? k8s.makeInformer<V1Pod>(config, '/api/v1/pods', () => core.listPodForAllNamespaces())
      : k8s.makeInformer<V1Pod>(config, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace })),
  );
  let stopped = false;
  const retries = new Map<(typeof informers)[number], NodeJS.Timeout>();
  const report = (keys: string[], why: 'deleted' | 'absent') => {
    if (keys.length > 0) options.onRemoved(keys, why);
  };
  // The reconciler takes the complete list of live pods: the union of every scope's list.
  const resync = () => report(reconciler.onResync(informers.flatMap((informer) => informer.list()).flatMap((pod) => livePodOf(pod) ?? [])), 'absent');
  const seen = (pod: V1Pod) => {
    const live = livePodOf(pod);
    if (live) reconciler.onPodSeen(live);
  };
  for (const informer of informers) {
    informer.on('add', seen);
    informer.on('update', seen);
    informer.on('delete', (pod) => {
      const live = livePodOf(pod);
      if (live) report(reconciler.onPodDeleted(live), 'deleted');
    });
    // After an error the informer stays stopped: start it again; its list is complete once start resolves.
    const reconnect = (error: unknown) => {
      if (stopped) return;
      options.onReconnect?.(error);
      clearTimeout(retries.get(informer));
      retries.set(
        informer,
        setTimeout(() => {
          if (!stopped) informer.start().then(resync, reconnect);
        }, options.retryDelayMs ?? 1_000),
      );
    };
    informer.on('error', reconnect);
  }
  await Promise.all(informers.map((informer) => informer.start()));
  resync();
  const sweeper = setInterval(() => report(reconciler.sweep(), 'absent'), options.sweepIntervalMs ?? 30_000);
  sweeper.unref();
  return {
    async stop() {
      stopped = true;
      for (const retry of retries.values()) clearTimeout(retry);
      clearInterval(sweeper);
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}
