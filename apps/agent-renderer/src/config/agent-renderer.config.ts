import { commonAppShape, flag, positiveInt } from '@opzero/config';
import { z } from 'zod';

/** Environment prefix of every agent-renderer setting: `AGENT_RENDERER_PORT`, `AGENT_RENDERER_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'AGENT_RENDERER';

const kubeName = (fallback: string, what: string) =>
  z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `must be a ${what} name`).default(fallback);

/** Comma-separated list, each entry checked by `entry`. */
const list = (fallback: string, entry: z.ZodString, max: number) =>
  z
    .string()
    .max(16_384)
    .default(fallback)
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(entry).min(1).max(max));

/** agent-renderer configuration; feature issues add their settings here. */
export const agentRendererConfigShape = {
  ...commonAppShape({ port: 8081, clientId: 'agent-renderer' }),
  /** The Vault/OpenBao address the rotation service reads KV v2 metadata from. */
  VAULT_ADDRESS: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8200'),
  /** A token whose policy is `read` on `<mount>/metadata/*` only (never secret values). */
  VAULT_TOKEN: z.string().min(1).max(4096).optional(),
  VAULT_TIMEOUT_MS: positiveInt(5_000),
  /** Vault node addresses whose `vault.sealed.v1` pauses polling (default: VAULT_ADDRESS). */
  VAULT_NODES: z.string().max(16_384).optional(),
  /** KV v2 mounts; paths `<mount>/data/<key>` on them are watched, others are left to the sidecar's polling. */
  KV_V2_MOUNTS: list('secret', z.string().min(1).max(256).regex(/^[^\s]+$/, 'must be a mount path without spaces'), 64),
  /** Shortest pause between two rounds over every watched path. */
  POLL_MIN_INTERVAL_MS: positiveInt(250),
  /** Longest pause (also the error back-off cap). */
  POLL_MAX_INTERVAL_MS: positiveInt(30_000),
  /** Metadata reads per second allowed against Vault; more paths make a round longer. */
  MAX_READS_PER_SECOND: positiveInt(200),
  POLL_CONCURRENCY: positiveInt(16),
  /** Where last-seen versions are kept: a Kubernetes Secret (survives restarts and failover), or memory (development). */
  STATE_STORE: z.enum(['kubernetes', 'memory'], { message: 'must be kubernetes or memory' }).default('kubernetes'),
  KUBERNETES_NAMESPACE: kubeName('default', 'namespace'),
  STATE_SECRET_NAME: kubeName('opzero-rotation-state', 'Secret'),
  /** Roll the workloads of `opzero.io/restart-on-rotate` pods (needs Kubernetes). */
  RESTART_ON_ROTATE: flag(true),
  /** Rotations of one workload within this window cause one restart. */
  RESTART_WINDOW_MS: positiveInt(10_000),
  MAX_CONCURRENT_RESTARTS: positiveInt(2),
  /** How long a sidecar token's read grant (sys/capabilities-self) is trusted; revoking a token stops its pushes within this. */
  WATCH_GRANT_TTL_MS: positiveInt(300_000),
  /** Watch the cluster's pods (when the service uses Kubernetes at all) and drop deleted pods from the index. */
  POD_WATCH: flag(true),
  /**
   * Namespaces whose pods are watched (comma-separated), for an install limited to Roles in
   * those namespaces (the chart's rbac.watchNamespaces); empty: every namespace.
   */
  POD_WATCH_NAMESPACES: z
    .string()
    .max(16_384)
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be namespace names')).max(256)),
  /** An index entry no live pod matches for this long leaves at a sweep (pod-created is sent before the pod exists). */
  POD_GRACE_MS: positiveInt(120_000),
  /** Several replicas: one leader over a Lease in KUBERNETES_NAMESPACE polls and restarts. */
  LEADER_ELECTION: flag(false),
  LEASE_NAME: kubeName('opzero-agent-renderer', 'Lease'),
  LEASE_DURATION_MS: positiveInt(15_000),
  /** This replica's identity in the Lease (the pod name, from the downward API). */
  POD_NAME: z.string().min(1).max(253).default(`agent-renderer-${process.pid}`),
};
