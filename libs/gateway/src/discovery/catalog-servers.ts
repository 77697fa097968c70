import type { CatalogServiceInstance } from '@opzero/consul';
import { upstreamServer, type UpstreamServer } from '../upstream-server';

/** How a server's HTTP and DNS ports are found from what Consul's catalog says. */
export interface PortRules {
  /** Ports of a server on a host of its own whose node meta does not say (every pod in Kubernetes). */
  defaultHttpPort: number;
  defaultDnsPort: number;
  /** Node meta keys with a server's ports, where several servers share one host. */
  httpPortMeta?: string;
  dnsPortMeta?: string;
}

/** Ports last read from a node's meta, with the raft address they were read at. */
export interface RememberedPorts {
  raftAddress: string;
  httpPort: number;
  dnsPort: number;
}

/** What one discovery answer resolved: the servers, those whose ports cannot be known yet, and ports to remember. */
export interface CatalogServers {
  servers: UpstreamServer[];
  /** Raft addresses (`host:port`) of servers Consul knows whose HTTP port nothing tells (yet). */
  unresolved: string[];
  /** Node name → ports read from its meta in this answer. */
  seenPorts: Map<string, RememberedPorts>;
}

const MAX_SERVERS = 64;

/**
 * Turns the `consul` service instances of the catalog and the raft peers into servers.
 *
 * A server is identified by its raft address (node address and `consul` service port in the
 * catalog, `host:port` in the peers), never by its host alone: several servers may share a host.
 * Its ports come from node meta; without meta (Consul's leader registers a new server's node
 * before the server's own anti-entropy sync adds its meta, and a leader registration racing that
 * sync can wipe the meta again until the next full sync, 1 to 2 minutes later) they are, in order:
 * the ports last read for the same node at the same raft address (same process, same ports); the
 * default ports when no meta keys are configured or no other server shares the host; otherwise
 * unknown, and the server is reported in `unresolved` rather than guessed onto another's port.
 */
export function catalogServers(
  instances: readonly CatalogServiceInstance[],
  peers: readonly string[],
  rules: PortRules,
  remembered: ReadonlyMap<string, RememberedPorts> = new Map(),
): CatalogServers {
  const catalog = instances.filter((instance) => instance.address).slice(0, MAX_SERVERS);
  const peerAddresses = peers.slice(0, MAX_SERVERS).map(splitHostPort).filter((peer): peer is HostPort => peer !== undefined);
  const catalogRaft = new Set(catalog.map((instance) => raftAddress(instance.address, instance.servicePort)));
  const unmatchedPeers = peerAddresses.filter((peer) => !catalogRaft.has(raftAddress(peer.host, peer.port)));
  const serversPerHost = new Map<string, number>();
  for (const host of [...catalog.map((instance) => instance.address), ...unmatchedPeers.map((peer) => peer.host)]) serversPerHost.set(host, (serversPerHost.get(host) ?? 0) + 1);
  // Without meta keys every server uses the default ports (the operator said so); with them, a
  // default is only a sound guess for a server alone on its host.
  const defaultFits = (host: string) => !rules.httpPortMeta || (serversPerHost.get(host) ?? 0) <= 1;

  const found = new Map<string, UpstreamServer>();
  const unresolved: string[] = [];
  const seenPorts = new Map<string, RememberedPorts>();
  for (const instance of catalog) {
    const raft = raftAddress(instance.address, instance.servicePort);
    const httpFromMeta = metaPort(instance.nodeMeta, rules.httpPortMeta);
    const dnsFromMeta = metaPort(instance.nodeMeta, rules.dnsPortMeta);
    const before = remembered.get(instance.node);
    const sameProcess = before && before.raftAddress === raft ? before : undefined;
    let httpPort = httpFromMeta ?? sameProcess?.httpPort;
    if (httpPort === undefined && defaultFits(instance.address)) httpPort = rules.defaultHttpPort;
    if (httpPort === undefined) {
      unresolved.push(raft);
      continue;
    }
    const dnsPort = dnsFromMeta ?? sameProcess?.dnsPort ?? rules.defaultDnsPort;
    if (httpFromMeta !== undefined || sameProcess) seenPorts.set(instance.node, { raftAddress: raft, httpPort, dnsPort });
    const server = upstreamServer(instance.address, httpPort, dnsPort, instance.node);
    found.set(server.id, server);
  }
  // Raft voters the catalog does not list yet: only a host of their own says which port they serve on.
  for (const peer of unmatchedPeers) {
    if (!defaultFits(peer.host)) {
      unresolved.push(raftAddress(peer.host, peer.port));
      continue;
    }
    const server = upstreamServer(peer.host, rules.defaultHttpPort, rules.defaultDnsPort);
    if (!found.has(server.id)) found.set(server.id, server);
  }
  return { servers: [...found.values()], unresolved, seenPorts };
}

interface HostPort {
  host: string;
  port: number;
}

/** `10.0.0.5:8300` or `[fd00::5]:8300`; undefined for anything else. */
function splitHostPort(address: string): HostPort | undefined {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  return host && Number.isInteger(port) && port > 0 && port < 65536 ? { host, port } : undefined;
}

function raftAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function metaPort(meta: Record<string, string>, key: string | undefined): number | undefined {
  if (!key || meta[key] === undefined) return undefined;
  const value = Number(meta[key]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}
