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
}

/** The part of a pod the reconciler matches on. */
export function livePodOf(pod: V1Pod): LivePod | undefined {
  const { namespace, name, generateName, deletionTimestamp } = pod.metadata ?? {};
  if (!namespace || !name) return undefined;
  return { namespace, name, ...(generateName ? { generateName } : {}), ...(deletionTimestamp ? { deletedAt: new Date(deletionTimestamp).getTime() } : {}) };
}

/**
 * Watches every pod of the cluster (client-node's informer: list, then watch from that
 * resourceVersion) and feeds the reconciler: deletions at once, the full list after every
 * (re)list, and a sweep every sweepIntervalMs. After an error (the API server restarted) it
 * lists again after retryDelayMs, so a pod deleted meanwhile is found missing.
 */
export async function watchPods(config: KubeConfig, reconciler: PodReconciler, options: PodWatchOptions): Promise<PodWatch> {
  const k8s = await loadClientNode();
  const core = config.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer<V1Pod>(config, '/api/v1/pods', () => core.listPodForAllNamespaces());
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const report = (keys: string[], why: 'deleted' | 'absent') => {
    if (keys.length > 0) options.onRemoved(keys, why);
  };
  const resync = () => report(reconciler.onResync(informer.list().flatMap((pod) => livePodOf(pod) ?? [])), 'absent');
  const seen = (pod: V1Pod) => {
    const live = livePodOf(pod);
    if (live) reconciler.onPodSeen(live);
  };
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
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!stopped) informer.start().then(resync, reconnect);
    }, options.retryDelayMs ?? 1_000);
  };
  informer.on('error', reconnect);
  await informer.start();
  resync();
  const sweeper = setInterval(() => report(reconciler.sweep(), 'absent'), options.sweepIntervalMs ?? 30_000);
  sweeper.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(sweeper);
      await informer.stop();
    },
  };
}
