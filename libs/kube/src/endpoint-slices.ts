import type { KubeConfig, V1EndpointSlice } from '@kubernetes/client-node';
import { loadClientNode } from './client-node';

/** The label the EndpointSlice API puts on every slice of a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** A running watch; stop() ends it. */
export interface EndpointWatch {
  /** The addresses seen last (ready ones unless includeNotReady), sorted. */
  addresses(): string[];
  stop(): Promise<void>;
}

export interface EndpointWatchOptions {
  /** Called with the full, sorted set of ready addresses whenever it changes. */
  onChange: (addresses: string[]) => void;
  /**
   * Also report endpoints whose `ready` condition is false (a sealed Vault pod fails its
   * readiness probe, yet it is the one to act on). Terminating endpoints are left out either
   * way. Default false.
   */
  includeNotReady?: boolean;
  /**
   * Report `host:port` with each slice's port of this name ('' for an unnamed port; IPv6 hosts
   * in brackets), so endpoints on different ports stay apart. A slice without that port
   * contributes nothing. Default: addresses alone.
   */
  port?: string;
  /** Called when the watch broke and is being re-established (the API server went away, say). */
  onReconnect?: (error: unknown) => void;
  /** Wait before re-listing after an error. Default 1 s. */
  retryDelayMs?: number;
}

/** Ready addresses of a set of slices: endpoints whose `ready` condition is not false. */
export function readyAddresses(slices: readonly V1EndpointSlice[]): string[] {
  return sliceAddresses(slices, {});
}

/** The addresses of a set of slices as EndpointWatchOptions `includeNotReady` and `port` select them, sorted, without duplicates. */
export function sliceAddresses(slices: readonly V1EndpointSlice[], options: Pick<EndpointWatchOptions, 'includeNotReady' | 'port'>): string[] {
  const addresses = new Set<string>();
  for (const slice of slices) {
    const port = options.port === undefined ? undefined : slice.ports?.find((candidate) => (candidate.name ?? '') === options.port)?.port;
    if (options.port !== undefined && port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const conditions = endpoint.conditions;
      if (conditions?.terminating === true || (!options.includeNotReady && conditions?.ready === false)) continue;
      for (const address of endpoint.addresses) {
        addresses.add(port === undefined ? address : `${slice.addressType === 'IPv6' ? `[${address}]` : address}:${port}`);
      }
    }
  }
  return [...addresses].sort();
}

/**
 * Watches the EndpointSlices of one Service (client-node's informer: list, then watch from
 * that resourceVersion) and reports its ready addresses (or all but terminating ones, with
 * `includeNotReady`) as they are added and removed. When
 * the watch fails (the API server restarts, a network blip), it lists again after a delay
 * and carries on, reporting any change that happened meanwhile.
 */
export async function watchEndpointSlices(config: KubeConfig, namespace: string, service: string, options: EndpointWatchOptions): Promise<EndpointWatch> {
  const k8s = await loadClientNode();
  const discovery = config.makeApiClient(k8s.DiscoveryV1Api);
  const labelSelector = `${SERVICE_NAME_LABEL}=${service}`;
  const informer = k8s.makeInformer<V1EndpointSlice>(
    config,
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
    () => discovery.listNamespacedEndpointSlice({ namespace, labelSelector }),
    labelSelector,
  );
  let current: string[] = [];
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const publish = () => {
    const next = sliceAddresses(informer.list(namespace), options);
    if (next.join('\n') === current.join('\n')) return;
    current = next;
    options.onChange(next);
  };
  for (const event of ['add', 'update', 'delete'] as const) informer.on(event, publish);
  // After an error the informer stays stopped: start it again (it resumes from the last
  // resourceVersion it saw, or lists afresh when that is too old).
  const reconnect = (error: unknown) => {
    if (stopped) return;
    options.onReconnect?.(error);
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!stopped) informer.start().then(publish, reconnect);
    }, options.retryDelayMs ?? 1_000);
  };
  informer.on('error', reconnect);
  await informer.start();
  publish();
  return {
    addresses: () => current,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
    },
  };
}
