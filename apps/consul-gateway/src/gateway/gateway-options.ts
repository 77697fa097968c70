import { ConsulCatalogSource, type GatewayOptions } from '@opzero/gateway';
import type { ConsulGatewayConfig } from '../app.module';
import { endpointSliceSource } from './endpoint-slice-watch';

/** Injection token of the gateway's options. */
export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

/** The gateway's options from the parsed configuration (seeds re-based on the server ports). */
export function gatewayOptions(
  config: ConsulGatewayConfig,
  onWatchError: (error: unknown) => void,
): Omit<GatewayOptions, 'logger' | 'listener' | 'proxyMetrics' | 'dnsMetrics'> {
  const token = config.TOKEN ? { token: config.TOKEN } : {};
  const kube = config.KUBE_SERVICE
    ? [endpointSliceSource(config.KUBE_SERVICE, config.KUBE_PORT_NAME, config.SERVER_DNS_PORT, onWatchError)]
    : [];
  const catalog = config.CATALOG_DISCOVERY
    ? [
        new ConsulCatalogSource({
          timeoutMs: config.HEALTH_TIMEOUT_MS,
          defaultHttpPort: config.SERVER_HTTP_PORT,
          defaultDnsPort: config.SERVER_DNS_PORT,
          ...(config.HTTP_PORT_META ? { httpPortMeta: config.HTTP_PORT_META } : {}),
          ...(config.DNS_PORT_META ? { dnsPortMeta: config.DNS_PORT_META } : {}),
          ...token,
        }),
      ]
    : [];
  return {
    seeds: config.SEEDS.map((seed) => ({ ...seed, dnsPort: config.SERVER_DNS_PORT })),
    sources: [...catalog, ...kube],
    http: {
      host: config.LISTEN_HOST,
      port: config.LISTEN_PORT,
      readRouting: config.READ_ROUTING,
      holdTimeoutMs: config.HOLD_TIMEOUT_MS,
      connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
      maxAttempts: config.MAX_ATTEMPTS,
      replayLimitBytes: config.REPLAY_LIMIT_BYTES,
      retryBackoffMs: config.RETRY_BACKOFF_MS,
      maxHeaderBytes: config.MAX_HEADER_BYTES,
      headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      maxConnections: config.MAX_CONNECTIONS,
    },
    ...(config.DNS_ENABLED
      ? {
          dns: {
            host: config.LISTEN_HOST,
            port: config.DNS_PORT,
            attemptTimeoutMs: config.DNS_ATTEMPT_TIMEOUT_MS,
            maxAttempts: 3,
            maxInFlight: 4096,
            tcpIdleTimeoutMs: 10_000,
            maxPipelined: 64,
          },
        }
      : {}),
    health: {
      intervalMs: config.HEALTH_INTERVAL_MS,
      fastIntervalMs: config.HEALTH_FAST_INTERVAL_MS,
      timeoutMs: config.HEALTH_TIMEOUT_MS,
      maxLastContactMs: config.MAX_LAST_CONTACT_MS,
      ...token,
    },
    discoveryIntervalMs: config.DISCOVERY_INTERVAL_MS,
  };
}
