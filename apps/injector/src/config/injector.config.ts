import { commonAppShape, ConfigError, flag, loadConfig, positiveInt } from '@opzero/config';
import { isIP } from 'node:net';
import { z } from 'zod';

/** Environment prefix of every injector setting: `INJECTOR_PORT`, `INJECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'INJECTOR';

const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `name,name,ip`: DNS names or IP addresses, validated per entry. */
function hostList(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean))
    .pipe(
      z
        .array(z.string().refine((host) => isIP(host) !== 0 || (host.length <= 253 && DNS_NAME.test(host)), 'each entry must be a DNS name or an IP address'))
        .min(1, 'at least one host is required'),
    );
}

/** injector configuration; feature issues add their settings here. */
export const injectorConfigShape = {
  ...commonAppShape({ port: 8443, clientId: 'injector' }),
  /** Image of the injected agent (the agent-renderer). */
  AGENT_IMAGE: z.string().min(1).default('opzero/agent-renderer:0.1.0'),
  /** Vault address written into every agent configuration (annotation `service` overrides). */
  VAULT_ADDRESS: z.url({ protocol: /^https?$/ }).default('https://vault.vault.svc:8200'),
  /** The agent-renderer's rotation service (e.g. http://agent-renderer.platform.svc), given to sidecars; '' (default): none. */
  ROTATION_ADDRESS: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  /** Serving certificate and key (PEM files, reloaded when they change). Unset: a self-signed pair is generated at start. */
  TLS_CERT_FILE: z.string().default(''),
  TLS_KEY_FILE: z.string().default(''),
  /** Auto TLS: generate a CA and serving certificate, renew them, write the CA bundle into WEBHOOK_CONFIG_NAME. Excludes TLS_CERT_FILE. */
  TLS_AUTO: flag(false),
  /** Auto TLS: comma-separated DNS names (or IPs) of the serving certificate; 127.0.0.1 is always added. */
  TLS_AUTO_HOSTS: hostList('opzero-injector,opzero-injector.opzero,opzero-injector.opzero.svc'),
  /** Auto TLS: lifetime of each serving certificate; it is replaced after 2/3 of it. */
  TLS_AUTO_VALIDITY_HOURS: positiveInt(30 * 24),
  /** Auto TLS: lifetime of each generated CA; at least 3x TLS_AUTO_VALIDITY_HOURS (a new CA is staged before use). */
  TLS_AUTO_CA_VALIDITY_HOURS: positiveInt(365 * 24),
  /** Auto TLS: the MutatingWebhookConfiguration whose webhooks get the CA bundle. */
  WEBHOOK_CONFIG_NAME: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes object name (DNS subdomain)')
    .max(253)
    .default('opzero-injector'),
  /** Largest AdmissionReview body accepted; the API server's own limit is 3 MiB. Larger bodies get 413. */
  BODY_LIMIT_BYTES: positiveInt(3 * 1024 * 1024),
  /**
   * Longest a client may take to send the request headers, then the whole request (ms). Well
   * under the API server's webhook timeout (10 s in deploy/injector), so a slow or stalled
   * client is cut off long before it could hold connections the API server needs.
   */
  HEADERS_TIMEOUT_MS: positiveInt(3_000),
  REQUEST_TIMEOUT_MS: positiveInt(5_000),
  /** pod-created events held in memory while Kafka is away; beyond it the oldest are dropped and counted. */
  EVENT_BUFFER_SIZE: positiveInt(10_000),
  /** Processes serving /mutate on the same port (node:cluster), one per core the pod may use; 1 = no cluster. */
  WORKERS: positiveInt(1),
};

/** The parsed injector configuration. */
export type InjectorConfig = z.infer<z.ZodObject<typeof injectorConfigShape>>;

/** Rules between variables, which a per-variable schema cannot express. Each problem names the variables. */
export function crossFieldProblems(config: InjectorConfig): string[] {
  const problems: string[] = [];
  const name = (key: keyof InjectorConfig) => `${ENV_PREFIX}_${key}`;
  if (config.TLS_AUTO && (config.TLS_CERT_FILE || config.TLS_KEY_FILE)) {
    problems.push(
      `${name('TLS_AUTO')}=true and ${name('TLS_CERT_FILE')}/${name('TLS_KEY_FILE')} are both set: choose generated certificates (TLS_AUTO) or files, not both`,
    );
  }
  if (config.TLS_AUTO && config.TLS_AUTO_CA_VALIDITY_HOURS < 3 * config.TLS_AUTO_VALIDITY_HOURS) {
    problems.push(
      `${name('TLS_AUTO_CA_VALIDITY_HOURS')}=${config.TLS_AUTO_CA_VALIDITY_HOURS} must be at least 3 x ${name('TLS_AUTO_VALIDITY_HOURS')} (${3 * config.TLS_AUTO_VALIDITY_HOURS}) so a new CA can be published before it signs`,
    );
  }
  if (config.HEADERS_TIMEOUT_MS > config.REQUEST_TIMEOUT_MS) {
    problems.push(`${name('HEADERS_TIMEOUT_MS')}=${config.HEADERS_TIMEOUT_MS} exceeds ${name('REQUEST_TIMEOUT_MS')}=${config.REQUEST_TIMEOUT_MS}; the headers are part of the request`);
  }
  if (config.TLS_AUTO && config.WORKERS > 1) {
    problems.push(
      `${name('TLS_AUTO')}=true with ${name('WORKERS')}=${config.WORKERS}: each worker would generate its own CA; use certificate files with several workers`,
    );
  }
  return problems;
}

/** loadConfig plus the cross-variable rules; throws ConfigError naming every bad variable. */
export function loadInjectorConfig(env: NodeJS.ProcessEnv = process.env): InjectorConfig {
  const config = loadConfig(ENV_PREFIX, injectorConfigShape, env);
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** loadInjectorConfig for main.ts: a bad environment prints what is wrong and exits 78 (EX_CONFIG), like loadConfigOrExit. */
export function loadInjectorConfigOrExit(): InjectorConfig {
  try {
    return loadInjectorConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message, problems: error.problems })}\n`);
    process.exit(78);
  }
}
