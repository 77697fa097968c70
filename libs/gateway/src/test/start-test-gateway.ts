import type { ConsulClusterMember } from '@opzero/testing';
import { CONSUL_DNS_PORT_META, CONSUL_HTTP_PORT_META } from '@opzero/testing';
import { ConsulCatalogSource } from '../discovery/consul-catalog-source';
import { startGateway, type Gateway, type GatewayOptions } from '../gateway';
import type { ServerSetListener } from '../server-set';
import { upstreamServer, type UpstreamServer } from '../upstream-server';
import type { DiscoverySource } from '../discovery/discovery-source';

/**
 * A gateway on 127.0.0.1 (ephemeral ports) seeded with ONE server of a test cluster: the rest
 * must come from discovery. Settings are the app's defaults unless overridden.
 */
export function startTestGateway(
  seed: ConsulClusterMember,
  overrides: { http?: Partial<GatewayOptions['http']>; listener?: ServerSetListener; discovered?: (servers: readonly UpstreamServer[]) => void } = {},
): Promise<Gateway> {
  const catalog = new ConsulCatalogSource({ timeoutMs: 1_000, httpPortMeta: CONSUL_HTTP_PORT_META, dnsPortMeta: CONSUL_DNS_PORT_META });
  const source: DiscoverySource = {
    name: catalog.name,
    // Tests see every answer discovery hands the gateway (to count rounds, never to change them).
    discover: async (known) => {
      const servers = await catalog.discover(known);
      overrides.discovered?.(servers);
      return servers;
    },
    close: () => catalog.close(),
  };
  return startGateway({
    seeds: [upstreamServer('127.0.0.1', seed.httpPort, seed.dnsPort)],
    sources: [source],
    http: {
      host: '127.0.0.1',
      port: 0,
      readRouting: 'leader',
      holdTimeoutMs: 15_000,
      connectTimeoutMs: 2_000,
      maxAttempts: 6,
      replayLimitBytes: 1024 * 1024,
      retryBackoffMs: 50,
      maxHeaderBytes: 16 * 1024,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 300_000,
      maxConnections: 10_000,
      ...overrides.http,
    },
    dns: { host: '127.0.0.1', port: 0, attemptTimeoutMs: 1_000, maxAttempts: 3, maxInFlight: 4096, tcpIdleTimeoutMs: 10_000, maxPipelined: 64 },
    health: { intervalMs: 1_000, fastIntervalMs: 200, timeoutMs: 1_000, maxLastContactMs: 2_000 },
    discoveryIntervalMs: 2_000,
    ...(overrides.listener ? { listener: overrides.listener } : {}),
  });
}

/** A DNS query message for `name` (type A, class IN, recursion desired) with the given id. */
export function dnsQuery(name: string, id: number): Buffer {
  const labels = name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}
