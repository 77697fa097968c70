import type { ConsulClient } from '@opzero/consul';
import { ConsulClientPool } from '../consul-client-pool';
import { DEFAULT_DNS_PORT, DEFAULT_HTTP_PORT, upstreamServer, type UpstreamServer } from '../upstream-server';
import type { DiscoverySource } from './discovery-source';

export interface ConsulCatalogSourceOptions {
  timeoutMs: number;
  token?: string;
  /** HTTP port of servers whose node meta does not say (all servers in Kubernetes: 8500). */
  defaultHttpPort?: number;
  defaultDnsPort?: number;
  /** Node meta key holding a server's HTTP port, where servers use different ports (one host). */
  httpPortMeta?: string;
  dnsPortMeta?: string;
}

const MAX_SERVERS = 64;

/**
 * Asks Consul which servers exist, through libs/consul: the `consul` service in the catalog
 * gives each server's node, address and node meta; `/v1/status/peers` adds raft voters whose
 * IP the catalog does not list yet (with the default HTTP port). Asks the known servers in
 * turn (healthy first) until one answers; during an election none may, and Discovery keeps
 * the previous answer.
 */
export class ConsulCatalogSource implements DiscoverySource {
  readonly name = 'consul-catalog';
  private readonly clients: ConsulClientPool;

  constructor(private readonly options: ConsulCatalogSourceOptions) {
    this.clients = new ConsulClientPool(options);
  }

  async discover(known: readonly UpstreamServer[]): Promise<UpstreamServer[]> {
    let lastError: unknown = new Error('no known server to ask');
    for (const server of known) {
      try {
        return await this.ask(this.clients.for(server));
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private async ask(client: ConsulClient): Promise<UpstreamServer[]> {
    const [instances, peers] = await Promise.all([client.catalogService('consul'), client.peers()]);
    const found = new Map<string, UpstreamServer>();
    const catalogHosts = new Set<string>();
    for (const instance of instances.value.slice(0, MAX_SERVERS)) {
      if (!instance.address) continue;
      catalogHosts.add(instance.address);
      // The leader registers a new server's node before the server syncs its own node meta:
      // where ports come from meta, a node without it yet is skipped until the next round.
      if (this.options.httpPortMeta && instance.nodeMeta[this.options.httpPortMeta] === undefined) continue;
      const httpPort = this.port(instance.nodeMeta, this.options.httpPortMeta, this.options.defaultHttpPort ?? DEFAULT_HTTP_PORT);
      const dnsPort = this.port(instance.nodeMeta, this.options.dnsPortMeta, this.options.defaultDnsPort ?? DEFAULT_DNS_PORT);
      const upstream = upstreamServer(instance.address, httpPort, dnsPort, instance.node);
      found.set(upstream.id, upstream);
    }
    for (const peer of peers.slice(0, MAX_SERVERS)) {
      const host = peer.slice(0, peer.lastIndexOf(':')).replace(/^\[|\]$/g, '');
      if (!host || catalogHosts.has(host)) continue;
      const upstream = upstreamServer(host, this.options.defaultHttpPort ?? DEFAULT_HTTP_PORT, this.options.defaultDnsPort ?? DEFAULT_DNS_PORT);
      found.set(upstream.id, upstream);
    }
    return [...found.values()];
  }

  private port(meta: Record<string, string>, key: string | undefined, fallback: number): number {
    const value = key ? Number(meta[key]) : NaN;
    return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
  }

  /** Closes the pooled connections of every client. */
  close(): void {
    this.clients.close();
  }
}
