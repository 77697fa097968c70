import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Discovery } from './discovery/discovery';
import type { DiscoverySource } from './discovery/discovery-source';
import { DnsForwarder, type DnsForwarderOptions, type DnsMetrics } from './dns/dns-forwarder';
import { HealthChecker, type HealthCheckerOptions } from './health/health-checker';
import { silentGatewayLogger, type GatewayLogger } from './proxy/gateway-logger';
import { HttpProxy, type HttpProxyOptions, type ProxyMetrics } from './proxy/http-proxy';
import { ServerSet, type ServerSetListener } from './server-set';
import type { UpstreamServer } from './upstream-server';
import { httpAddress } from './consul-client-pool';

/** Limits on what clients may send the gateway's HTTP listener. */
export interface ClientLimits {
  /** Largest request head; larger gets 431 (node:http). */
  maxHeaderBytes: number;
  /** A client must send its request head within this, or is disconnected (slowloris). */
  headersTimeoutMs: number;
  /** A client must finish sending its request (head and body) within this. */
  requestTimeoutMs: number;
  /** Open client connections at most; more are refused. */
  maxConnections: number;
}

export interface GatewayOptions {
  seeds: readonly UpstreamServer[];
  sources: readonly DiscoverySource[];
  http: { host: string; port: number } & HttpProxyOptions & ClientLimits;
  /** Absent: no DNS listener. */
  dns?: DnsForwarderOptions;
  health: HealthCheckerOptions;
  discoveryIntervalMs: number;
  logger?: GatewayLogger;
  listener?: ServerSetListener;
  proxyMetrics?: ProxyMetrics;
  dnsMetrics?: DnsMetrics;
}

/** A running gateway: its listeners and its view of the servers. */
export interface Gateway {
  readonly servers: ServerSet;
  /** `http://host:port` of the HTTP listener. */
  readonly httpAddress: string;
  readonly httpPort: number;
  /** Bound DNS port (UDP and TCP), when DNS is on. */
  readonly dnsPort: number | undefined;
  /** Stops listening, checking and discovering; open client connections are closed. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway: seeds, discovery and health checks feed one ServerSet, which the HTTP
 * proxy and the DNS forwarder route through. Resolves once both listeners are bound and a
 * first check round ran (no healthy server yet is fine: requests are held meanwhile).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? silentGatewayLogger;
  const servers = new ServerSet(options.seeds);
  servers.addListener({
    lost: (server, reason) => logger.warn({ server: server.id, reason }, 'Consul server out of rotation'),
    changed: (event) => logger.info({ leader: event.leader, healthy: event.servers.filter((s) => s.healthy).map((s) => s.address) }, 'Consul servers changed'),
  });
  if (options.listener) servers.addListener(options.listener);
  const health = new HealthChecker(servers, options.health);
  const discovery = new Discovery(servers, options.sources, {
    intervalMs: options.discoveryIntervalMs,
    onSourceError: (source, error) => logger.warn({ source, error: error.message }, 'discovery source failed; keeping its last answer'),
    afterRound: (added) => {
      if (added) void health.checkNow();
    },
  });
  const proxy = new HttpProxy(servers, options.http, () => void health.checkNow(), options.proxyMetrics, logger);

  const http: Server = createServer(
    {
      maxHeaderSize: options.http.maxHeaderBytes,
      requestTimeout: options.http.requestTimeoutMs,
      headersTimeout: options.http.headersTimeoutMs,
      // Both timeouts are enforced by a sweep (30 s apart by default): sweep often enough to matter.
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, options.http.headersTimeoutMs / 2)),
    },
    proxy.handle,
  );
  http.maxConnections = options.http.maxConnections;
  // Malformed requests and oversized heads get node's 400/431 and a closed connection; a
  // client that vanished needs no answer.
  http.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.http.port, options.http.host, () => resolve());
  });
  const dns = options.dns ? new DnsForwarder(servers, options.dns, options.dnsMetrics) : undefined;
  try {
    await dns?.start();
    await health.start();
    await discovery.start();
  } catch (error) {
    // A listener that could not bind: release what did start before failing.
    discovery.stop();
    health.stop();
    await dns?.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    throw error;
  }

  const { port } = http.address() as AddressInfo;
  return {
    servers,
    httpAddress: httpAddress(options.http.host, port),
    httpPort: port,
    dnsPort: dns?.port(),
    async stop() {
      discovery.stop();
      health.stop();
      servers.close();
      await dns?.stop();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      proxy.close();
    },
  };
}
