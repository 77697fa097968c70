import { DEFAULT_DNS_PORT, DEFAULT_HTTP_PORT, upstreamServer, type UpstreamServer } from '../upstream-server';
import type { DiscoverySource } from './discovery-source';

/** Starts a watch of a Service's ready endpoint addresses (libs/kube's watchEndpointSlices fits). */
export type AddressWatchStarter = (onChange: (addresses: string[]) => void) => Promise<{ stop(): Promise<void> }>;

/**
 * Consul servers from the EndpointSlices of their Kubernetes Service: every ready pod IP, with
 * the servers' HTTP and DNS ports (the same on every pod). The watch starts on the first
 * `discover` and keeps the latest address list between rounds, so a pod that moved shows up
 * as soon as Kubernetes marks it ready.
 */
export class EndpointSliceSource implements DiscoverySource {
  readonly name = 'endpoint-slices';
  private watch: { stop(): Promise<void> } | undefined;
  private latest: string[] = [];

  constructor(
    private readonly start: AddressWatchStarter,
    private readonly ports: { httpPort?: number; dnsPort?: number } = {},
  ) {}

  async discover(): Promise<UpstreamServer[]> {
    this.watch ??= await this.start((addresses) => (this.latest = addresses));
    return this.latest.map((address) => upstreamServer(address, this.ports.httpPort ?? DEFAULT_HTTP_PORT, this.ports.dnsPort ?? DEFAULT_DNS_PORT));
  }

  close(): void {
    void this.watch?.stop();
    this.watch = undefined;
  }
}
