import type { UpstreamServer } from '../upstream-server';

/**
 * A place the gateway learns Consul servers from (Consul's own catalog, Kubernetes
 * EndpointSlices...). `discover` returns the full current list; a source that cannot answer
 * throws, and the gateway keeps what that source said last.
 */
export interface DiscoverySource {
  /** For logs and metrics: `consul-catalog`, `endpoint-slices`. */
  readonly name: string;
  /** `known` are the servers the gateway knows now, healthy first, for sources that ask Consul. */
  discover(known: readonly UpstreamServer[]): Promise<UpstreamServer[]>;
  /** Releases connections and watches, if the source holds any. */
  close?(): void;
}
