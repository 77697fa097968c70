import { DEFAULT_DNS_PORT, parseSeed, type UpstreamServer } from '../upstream-server';
import type { DiscoverySource } from './discovery-source';

/**
 * Starts a watch of a Service's ready endpoints as `host:port` entries, the port being each
 * slice's port of the HTTP port name (libs/kube's watchEndpointSlices with `port` fits).
 */
export type AddressWatchStarter = (onChange: (entries: string[]) => void) => Promise<{ stop(): Promise<void> }>;

/**
 * Consul servers from the EndpointSlices of their Kubernetes Service: every ready endpoint
 * (IP or, in FQDN slices, host name) with its slice's HTTP port, and the servers' DNS port
 * (the same on every server pod). The watch starts on the first `discover` and keeps the
 * latest list between rounds, so a pod that moved shows up as soon as Kubernetes marks it
 * ready.
 */
export class EndpointSliceSource implements DiscoverySource {
  readonly name = 'endpoint-slices';
  private watch: { stop(): Promise<void> } | undefined;
  private latest: UpstreamServer[] = [];

  constructor(
    private readonly start: AddressWatchStarter,
    private readonly dnsPort = DEFAULT_DNS_PORT,
  ) {}

  async discover(): Promise<UpstreamServer[]> {
    this.watch ??= await this.start((entries) => (this.latest = this.servers(entries)));
    return this.latest;
  }

  private servers(entries: readonly string[]): UpstreamServer[] {
    const servers: UpstreamServer[] = [];
    for (const entry of entries) {
      try {
        servers.push(parseSeed(entry, this.dnsPort));
      } catch {
        // not host:port (the API server validated it, so never expected): not a server to try
      }
    }
    return servers;
  }

  close(): void {
    void this.watch?.stop();
    this.watch = undefined;
  }
}
