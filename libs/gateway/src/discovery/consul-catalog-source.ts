import type { ConsulClient } from '@opzero/consul';
import { ConsulClientPool } from '../consul-client-pool';
import { DEFAULT_DNS_PORT, DEFAULT_HTTP_PORT, type UpstreamServer } from '../upstream-server';
import { catalogServers, type PortRules, type RememberedPorts } from './catalog-servers';
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

/**
 * Asks Consul which servers exist, through libs/consul: the `consul` service in the catalog
 * (node, address, raft port, node meta) and `/v1/status/peers` (raft voters the catalog does not
 * list yet), resolved into servers by `catalogServers`. Both are read `stale`, so any server
 * answers from its own state, during an election too. Asks the known servers in turn (healthy
 * first) until one answers; if none does, Discovery keeps the previous answer.
 */
export class ConsulCatalogSource implements DiscoverySource {
  readonly name = 'consul-catalog';
  private readonly clients: ConsulClientPool;
  private readonly rules: PortRules;
  /** Ports read from each node's meta, kept while the node keeps its raft address. */
  private remembered = new Map<string, RememberedPorts>();
  private lastUnresolved: string[] = [];

  constructor(options: ConsulCatalogSourceOptions) {
    this.clients = new ConsulClientPool(options);
    this.rules = {
      defaultHttpPort: options.defaultHttpPort ?? DEFAULT_HTTP_PORT,
      defaultDnsPort: options.defaultDnsPort ?? DEFAULT_DNS_PORT,
      ...(options.httpPortMeta ? { httpPortMeta: options.httpPortMeta } : {}),
      ...(options.dnsPortMeta ? { dnsPortMeta: options.dnsPortMeta } : {}),
    };
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

  /** Raft addresses of servers Consul listed in the last answer whose HTTP port nothing told yet. */
  unresolved(): readonly string[] {
    return this.lastUnresolved;
  }

  private async ask(client: ConsulClient): Promise<UpstreamServer[]> {
    const [instances, peers] = await Promise.all([client.catalogService('consul', { consistency: 'stale' }), client.peers()]);
    const answer = catalogServers(instances.value, peers, this.rules, this.remembered);
    this.remembered = answer.seenPorts;
    this.lastUnresolved = answer.unresolved;
    return answer.servers;
  }

  /** Closes the pooled connections of every client. */
  close(): void {
    this.clients.close();
  }
}
