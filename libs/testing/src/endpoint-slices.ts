/** The label that ties an EndpointSlice to its Service. */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** What a loopback EndpointSlice points at: one server on 127.0.0.1 and its named ports. */
export interface LoopbackSliceOptions {
  /** Slice name (one slice per server: ports are per slice, and each test server has its own). */
  name: string;
  /** `namespace/service` the slice belongs to. */
  service: string;
  /** Port name → port on 127.0.0.1, e.g. `{ http: 8500 }`. */
  ports: Record<string, number>;
  /** The endpoint's ready condition (a sealed Vault pod is not ready). Default true. */
  ready?: boolean;
}

/**
 * An EndpointSlice for a test server on 127.0.0.1 that a real API server accepts. It refuses
 * 127.0.0.0/8 in IPv4 and IPv6 slices (HTTP 422, "may not be in the loopback range"), so the
 * slice is addressType FQDN with the address "127.0.0.1", a valid four-label domain name that
 * every resolver maps to itself: the code under test reads a real slice and connects to
 * 127.0.0.1 with no mapping that exists only for tests. Managed by `opzero-test`, so the
 * controller-manager's EndpointSlice controllers leave it alone.
 */
export function loopbackEndpointSlice(options: LoopbackSliceOptions) {
  const [namespace, service] = options.service.split('/') as [string, string];
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: options.name, namespace, labels: { [SERVICE_NAME_LABEL]: service, 'endpointslice.kubernetes.io/managed-by': 'opzero-test' } },
    addressType: 'FQDN',
    ports: Object.entries(options.ports).map(([name, port]) => ({ name, port, protocol: 'TCP' })),
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: options.ready ?? true } }],
  };
}
