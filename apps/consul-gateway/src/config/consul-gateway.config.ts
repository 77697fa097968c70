import { commonAppShape, flag, port, positiveInt } from '@opzero/config';
import { parseSeed, type UpstreamServer } from '@opzero/gateway';
import { z } from 'zod';

/** Environment prefix of every consul-gateway setting: `CONSUL_GATEWAY_PORT`, `CONSUL_GATEWAY_SEEDS`... */
export const ENV_PREFIX = 'CONSUL_GATEWAY';

/** `host[:port],...` of Consul servers to start from; each entry validated. */
const seedList = z
  .string({ message: 'at least one Consul server address (host[:port]) is required' })
  .max(16_384)
  .transform((value, context) => {
    const servers: UpstreamServer[] = [];
    for (const entry of value.split(',').map((item) => item.trim()).filter(Boolean)) {
      try {
        servers.push(parseSeed(entry));
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }
    if (servers.length === 0) context.addIssue({ code: 'custom', message: 'at least one Consul server address (host[:port]) is required' });
    return servers;
  });

/** A node meta key (Consul allows letters, digits, `-` and `_`, up to 128 characters). */
const metaKey = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a Consul node meta key').optional();

/** `namespace/name` of a Kubernetes Service (two RFC 1123 labels). */
const kubeService = z
  .string()
  .max(317)
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be namespace/name of a Kubernetes Service')
  .optional();

/** consul-gateway configuration. PORT is the health/metrics listener; LISTEN_PORT the Consul API. */
export const consulGatewayConfigShape = {
  ...commonAppShape({ port: 8084, clientId: 'consul-gateway' }),
  SEEDS: seedList,
  /** Token with agent:read for the health checks (X-Consul-Token); never logged. */
  TOKEN: z.string().min(1).max(256).optional(),
  LISTEN_HOST: z.string().min(1).default('0.0.0.0'),
  LISTEN_PORT: port(8500),
  DNS_ENABLED: flag(true),
  DNS_PORT: port(8600),
  READ_ROUTING: z.enum(['leader', 'spread']).default('leader'),
  HOLD_TIMEOUT_MS: positiveInt(15_000),
  CONNECT_TIMEOUT_MS: positiveInt(2_000),
  MAX_ATTEMPTS: positiveInt(6),
  RETRY_BACKOFF_MS: positiveInt(50),
  REPLAY_LIMIT_BYTES: positiveInt(1024 * 1024),
  MAX_HEADER_BYTES: positiveInt(16 * 1024),
  HEADERS_TIMEOUT_MS: positiveInt(10_000),
  REQUEST_TIMEOUT_MS: positiveInt(300_000),
  MAX_CONNECTIONS: positiveInt(10_000),
  HEALTH_INTERVAL_MS: positiveInt(1_000),
  HEALTH_FAST_INTERVAL_MS: positiveInt(200),
  HEALTH_TIMEOUT_MS: positiveInt(1_000),
  MAX_LAST_CONTACT_MS: positiveInt(2_000),
  DISCOVERY_INTERVAL_MS: positiveInt(2_000),
  SERVER_HTTP_PORT: port(8500),
  SERVER_DNS_PORT: port(8600),
  HTTP_PORT_META: metaKey,
  DNS_PORT_META: metaKey,
  DNS_ATTEMPT_TIMEOUT_MS: positiveInt(1_000),
  EVENT_BUFFER_SIZE: positiveInt(1_000),
  /** Also discover servers from this Service's EndpointSlices (in-cluster credentials or $KUBECONFIG). */
  KUBE_SERVICE: kubeService,
  /** The Service port (as named in its EndpointSlices) that is the servers' HTTP API. */
  KUBE_PORT_NAME: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a port name (RFC 1123 label)').default('http'),
  /** Discover servers from Consul's own catalog and raft peers (off: seeds and EndpointSlices only). */
  CATALOG_DISCOVERY: flag(true),
  /** Processes sharing the listeners (node:cluster); each checks and discovers on its own. */
  WORKERS: positiveInt(1),
};
