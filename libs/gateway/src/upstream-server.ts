/** A Consul server as the gateway reaches it: its HTTP API and its DNS port on one host. */
export interface UpstreamServer {
  /** `host:httpPort`: the identity of a server in the gateway (metrics labels, events). */
  readonly id: string;
  readonly host: string;
  readonly httpPort: number;
  readonly dnsPort: number;
  /** Consul node name, once a discovery source or a health check has told it. */
  readonly node?: string;
}

/** Default Consul ports, used when a source gives an IP only (peers, EndpointSlices). */
export const DEFAULT_HTTP_PORT = 8500;
export const DEFAULT_DNS_PORT = 8600;

/** Builds an UpstreamServer; the id is `host:httpPort` (IPv6 hosts in brackets). */
export function upstreamServer(host: string, httpPort: number, dnsPort: number, node?: string): UpstreamServer {
  const id = host.includes(':') ? `[${host}]:${httpPort}` : `${host}:${httpPort}`;
  return { id, host, httpPort, dnsPort, ...(node ? { node } : {}) };
}

/**
 * Parses a seed entry `host:port` or `host` (port 8500), with IPv6 in brackets. Throws an error
 * naming the entry; linear in its length.
 */
export function parseSeed(entry: string, dnsPort = DEFAULT_DNS_PORT): UpstreamServer {
  const text = entry.trim().replace(/^https?:\/\//, '');
  if (text.length === 0 || text.length > 300) throw new Error(`seed "${entry.slice(0, 64)}": must be host[:port], at most 300 characters`);
  let host = text;
  let port = DEFAULT_HTTP_PORT;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw new Error(`seed "${entry}": unclosed [ in IPv6 address`);
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest) port = parsePort(entry, rest.replace(/^:/, ''));
  } else if (text.includes(':')) {
    const colon = text.lastIndexOf(':');
    host = text.slice(0, colon);
    port = parsePort(entry, text.slice(colon + 1));
  }
  if (!/^[A-Za-z0-9.\-:]+$/.test(host)) throw new Error(`seed "${entry}": host must be a DNS name or an IP address`);
  return upstreamServer(host, port, dnsPort);
}

function parsePort(entry: string, text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) throw new Error(`seed "${entry}": port must be 1-65535`);
  return port;
}
