import { commonAppShape, ConfigError, exitOnConfigError, flag, loadConfig, positiveInt } from '@opzero/config';
import { z } from 'zod';

/** Environment prefix of every unseal-keeper setting: `UNSEAL_KEEPER_PORT`, `UNSEAL_KEEPER_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'UNSEAL_KEEPER';

const MAX_SHARES = 10;

/** Where the nodes are when neither VAULT_ADDRESSES nor KUBERNETES_SERVICE is set. */
const DEFAULT_VAULT_ADDRESS = 'http://127.0.0.1:8200';

/** `http(s)://host:port,...`: each entry a URL, at most 64 nodes. */
const urlList = z
  .string()
  .max(16_384)
  .transform((value) => value.split(',').map((entry) => entry.trim().replace(/\/+$/, '')).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, message: 'each entry must be an http(s) URL' })).min(1, 'at least one node is required').max(64))
  .optional();

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const optionalText = z.string().max(4096).optional();

/** unseal-keeper configuration. */
export const unsealKeeperConfigShape = {
  ...commonAppShape({ port: 8082, clientId: 'unseal-keeper' }),
  /**
   * The Vault/OpenBao nodes to keep unsealed (each node's own API address, not a load balancer).
   * Default http://127.0.0.1:8200 unless KUBERNETES_SERVICE discovers them instead.
   */
  VAULT_ADDRESSES: urlList,
  /**
   * Discover the nodes as the pods behind this Service (`name` in KUBERNETES_NAMESPACE, or
   * `namespace/name`) through its EndpointSlices, not-ready pods included (a sealed Vault pod
   * fails its readiness probe), following pods as they come and go.
   */
  KUBERNETES_SERVICE: z
    .string()
    .max(127)
    .refine((value) => value.split('/').length <= 2 && value.split('/').every((part) => part.length <= 63 && DNS_LABEL.test(part)), 'must be a Service name or namespace/name')
    .optional(),
  /** KUBERNETES_SERVICE: the name of the Service port that serves Vault's API ('' for an unnamed port). */
  KUBERNETES_SERVICE_PORT: z.string().max(15).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'must be a port name').default('http'),
  /** KUBERNETES_SERVICE: http or https, to reach each discovered pod. */
  KUBERNETES_SERVICE_SCHEME: z.enum(['http', 'https'], { message: 'must be http or https' }).default('http'),
  /** The cluster name bound into every share's KMS context (shares of one cluster cannot be used for another). */
  CLUSTER_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores').default('vault'),
  /** Time between seal-status polls of each node. */
  POLL_INTERVAL_MS: positiveInt(500),
  /** Each wait is POLL_INTERVAL_MS × (1 ± jitter). */
  POLL_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
  /** Longest a Vault call may take (seal-status hangs while a node seals). */
  VAULT_TIMEOUT_MS: positiveInt(10_000),
  /** First wait after a failed unseal attempt; doubles per failure up to BACKOFF_MAX_MS. */
  BACKOFF_INITIAL_MS: positiveInt(1_000),
  BACKOFF_MAX_MS: positiveInt(30_000),

  /**
   * Which KMS encrypts the shares: transit, aws-kms, azure-key-vault, local-key-file (development
   * only), or none: watch only (sealed events and metrics, no unsealing; a warning at start).
   */
  KMS_PROVIDER: z
    .enum(['none', 'transit', 'aws-kms', 'azure-key-vault', 'local-key-file'], {
      message: 'must be one of none, transit, aws-kms, azure-key-vault, local-key-file',
    })
    .default('none'),
  TRANSIT_ADDRESS: z.url({ protocol: /^https?$/ }).optional(),
  TRANSIT_TOKEN: optionalText,
  TRANSIT_KEY: optionalText,
  TRANSIT_MOUNT: z.string().max(256).default('transit'),
  TRANSIT_NAMESPACE: optionalText,
  AWS_KMS_KEY_ID: optionalText,
  AWS_REGION: optionalText,
  /** A KMS-compatible endpoint (VPC endpoint; a local KMS in tests). */
  AWS_KMS_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  AZURE_KEY_VAULT_URL: z.url({ protocol: /^https$/, message: 'must be an https URL' }).optional(),
  AZURE_KEY_NAME: optionalText,
  AZURE_KEY_VERSION: optionalText,
  LOCAL_KEY_FILE: optionalText,

  /** Where the encrypted shares are kept: file, consul or kubernetes (a Secret). */
  KEY_STORE: z.enum(['file', 'consul', 'kubernetes'], { message: 'must be file, consul or kubernetes' }).default('file'),
  KEY_STORE_FILE: z.string().max(4096).default('/var/lib/opzero/unseal-keys.json'),
  CONSUL_ADDRESS: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8500'),
  CONSUL_TOKEN: optionalText,
  CONSUL_KEY: z.string().regex(/^[A-Za-z0-9._/-]{1,512}$/, 'must be a Consul KV key').default('opzero/unseal/vault'),

  /** KEY_STORE=kubernetes: the Secret (in-cluster config, or KUBECONFIG). */
  KUBERNETES_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').max(63).default('default'),
  KUBERNETES_SECRET_NAME: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Secret name').max(253).default('opzero-unseal-keys'),
  /** Several replicas: elect one leader over a Lease in KUBERNETES_NAMESPACE; only it unseals and emits events. */
  LEADER_ELECTION: flag(false),
  LEASE_NAME: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Lease name').max(253).default('opzero-unseal-keeper'),
  /** How long a leader's claim lasts without renewal (it renews every third of it). */
  LEASE_DURATION_MS: positiveInt(15_000),
  /** This replica's identity in the Lease (the pod name, from the downward API). */
  POD_NAME: z.string().min(1).max(253).default(`unseal-keeper-${process.pid}`),

  /** Initialise a node that reports initialized=false when the key store is empty (opt-in). */
  INIT: flag(false),
  INIT_SHARES: z.coerce.number().int().min(1).max(MAX_SHARES).default(5),
  INIT_THRESHOLD: z.coerce.number().int().min(1).max(MAX_SHARES).default(3),

  /** migrate command: where to write the target seal stanza (the node's config directory). */
  MIGRATE_SEAL_CONFIG_PATH: optionalText,
  /** migrate command: the transit seal to migrate to. */
  MIGRATE_TRANSIT_ADDRESS: z.url({ protocol: /^https?$/ }).optional(),
  MIGRATE_TRANSIT_TOKEN: optionalText,
  MIGRATE_TRANSIT_KEY: optionalText,
  MIGRATE_TRANSIT_MOUNT: z.string().max(256).default('transit'),
};

/** The parsed unseal-keeper configuration. */
export type UnsealKeeperConfig = z.infer<z.ZodObject<typeof unsealKeeperConfigShape>>;

const REQUIRED_BY_PROVIDER: Record<UnsealKeeperConfig['KMS_PROVIDER'], (keyof UnsealKeeperConfig)[]> = {
  none: [],
  transit: ['TRANSIT_ADDRESS', 'TRANSIT_TOKEN', 'TRANSIT_KEY'],
  'aws-kms': ['AWS_KMS_KEY_ID', 'AWS_REGION'],
  'azure-key-vault': ['AZURE_KEY_VAULT_URL', 'AZURE_KEY_NAME'],
  'local-key-file': ['LOCAL_KEY_FILE'],
};

/** Rules between variables, which a per-variable schema cannot express. Each problem names the variables. */
export function crossFieldProblems(config: UnsealKeeperConfig): string[] {
  const name = (key: keyof UnsealKeeperConfig) => `${ENV_PREFIX}_${key}`;
  const problems = REQUIRED_BY_PROVIDER[config.KMS_PROVIDER]
    .filter((key) => !config[key])
    .map((key) => `${name(key)}=unset: required when ${name('KMS_PROVIDER')}=${config.KMS_PROVIDER}`);
  if (config.INIT && config.KMS_PROVIDER === 'none') {
    problems.push(`${name('INIT')}=true needs a KMS to encrypt the shares: set ${name('KMS_PROVIDER')}`);
  }
  if (config.INIT_THRESHOLD > config.INIT_SHARES) {
    problems.push(`${name('INIT_THRESHOLD')}=${config.INIT_THRESHOLD}: must not exceed ${name('INIT_SHARES')}=${config.INIT_SHARES}`);
  }
  if (config.VAULT_ADDRESSES && config.KUBERNETES_SERVICE) {
    problems.push(`${name('VAULT_ADDRESSES')} and ${name('KUBERNETES_SERVICE')} are both set: list the nodes or discover them, not both`);
  }
  if (config.BACKOFF_INITIAL_MS > config.BACKOFF_MAX_MS) {
    problems.push(`${name('BACKOFF_INITIAL_MS')}=${config.BACKOFF_INITIAL_MS}: must not exceed ${name('BACKOFF_MAX_MS')}=${config.BACKOFF_MAX_MS}`);
  }
  return problems;
}

/** loadConfig plus the cross-variable rules; throws ConfigError naming every bad variable. */
export function loadUnsealKeeperConfig(env: NodeJS.ProcessEnv = process.env): UnsealKeeperConfig {
  const config = loadConfig(ENV_PREFIX, unsealKeeperConfigShape, env);
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config.KUBERNETES_SERVICE ? config : { ...config, VAULT_ADDRESSES: config.VAULT_ADDRESSES ?? [DEFAULT_VAULT_ADDRESS] };
}

/** loadUnsealKeeperConfig for main.ts: a bad environment prints what is wrong and exits 78 (EX_CONFIG). */
export function loadUnsealKeeperConfigOrExit(): UnsealKeeperConfig {
  return exitOnConfigError(() => loadUnsealKeeperConfig());
}
