import { COMMON_REQUIRED, commonConfig, commonValues } from './common-values';
import { bool, closed, integer, oneOfStrings, passThrough, stringList, stringMap, text, type JsonSchema } from './json-schema';

/** An opzero app chart: where it lives, its env prefix and the values only it has. */
export interface AppChart {
  /** The app's folder under apps/ and the chart's under deploy/helm/. */
  app: string;
  /** Every config.* value becomes `<envPrefix>_<UPPER_SNAKE>`. */
  envPrefix: string;
  /** The app's default port and Kafka client id (its commonAppShape arguments). */
  port: number;
  clientId: string;
  /** config.* values beyond the common ones, one per variable of the app's config shape. */
  config: Record<string, JsonSchema>;
  /** config.* values a user must give (the app has no default for them). */
  requiredConfig?: string[];
  /** Variables the chart sets itself from other values (names, namespace, downward API), camelCase. */
  computedConfig?: string[];
  /** config.* keys whose chart default differs from the app's on purpose (values.yaml says why). */
  chosenConfig?: string[];
  /** Settings that are credentials: only from a Secret (secretConfig.<key>), never a plain value. */
  secretConfig?: Record<string, string>;
  /** Top-level values beyond the common ones. */
  values: Record<string, JsonSchema>;
  /** service.* values beyond the common ones (more ports). */
  service?: Record<string, JsonSchema>;
  /** Rules between values (JSON Schema if/then), each failing with the value it concerns. */
  rules?: JsonSchema[];
}

const K8S_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const objectName = (description: string): JsonSchema => text(description, { pattern: `^$|${K8S_NAME}`, maxLength: 253 });
const namespaces = (description: string): JsonSchema => stringList(description, { type: 'string', pattern: K8S_NAME, maxLength: 63 });

const endpointSliceNamespaces = namespaces(
  'Namespaces whose EndpointSlices the app may list and watch (a Role per namespace); empty: none.',
);
const leaseName = objectName('Name of the coordination.k8s.io Lease its replicas elect a leader over; RBAC is limited to it (default: the object name).');

/** The five app charts under deploy/helm. */
export const APP_CHARTS: readonly AppChart[] = [
  {
    app: 'injector',
    envPrefix: 'INJECTOR',
    port: 8443,
    clientId: 'injector',
    config: {
      agentImage: text('AGENT_IMAGE: image of the injected agent.', { minLength: 1 }),
      vaultAddress: text('VAULT_ADDRESS: Vault address written into every agent configuration.', { pattern: '^https?://' }),
      rotationAddress: text("ROTATION_ADDRESS: the agent-renderer's rotation service, given to sidecars (OPZERO_ROTATION_ADDRESS) so they re-render at once on a rotation; '' : none.", { pattern: '^(https?://.*)?$' }),
      tlsAutoValidityHours: integer('TLS_AUTO_VALIDITY_HOURS: auto TLS, lifetime of each serving certificate (default 720).', 1),
      tlsAutoCaValidityHours: integer('TLS_AUTO_CA_VALIDITY_HOURS: auto TLS, lifetime of each CA, at least 3x the above (default 8760).', 1),
      bodyLimitBytes: integer('BODY_LIMIT_BYTES: largest AdmissionReview accepted (default 3 MiB).', 1),
      eventBufferSize: integer('EVENT_BUFFER_SIZE: pod-created events held while Kafka is away (default 10000).', 1),
      workers: integer('WORKERS: processes serving /mutate; must be 1 with tls.mode=auto (default 1).', 1),
      headersTimeoutMs: integer('HEADERS_TIMEOUT_MS: time a client has to send its request headers; keep it under webhook.timeoutSeconds.', 1),
      requestTimeoutMs: integer('REQUEST_TIMEOUT_MS: time a client has to send the whole request (at least headersTimeoutMs).', 1),
    },
    values: {
      tls: closed('How the webhook serves HTTPS (sets INJECTOR_TLS_AUTO, _TLS_AUTO_HOSTS, _WEBHOOK_CONFIG_NAME or _TLS_CERT_FILE/_TLS_KEY_FILE).', {
        mode: oneOfStrings('auto: the injector generates its CA and writes the caBundle itself; secret: tls.crt/tls.key from tls.secretName.', ['auto', 'secret']),
        secretName: objectName('secret mode: a kubernetes.io/tls Secret in the release namespace (required in that mode).'),
        extraHosts: stringList('auto mode: more DNS names or IPs for the certificate (the Service names are always in it).', { type: 'string', minLength: 1 }),
      }),
      webhook: closed('The MutatingWebhookConfiguration (named like the release objects).', {
        failurePolicy: oneOfStrings('Ignore: pods are created unmutated while the injector is down; Fail: they are refused.', ['Ignore', 'Fail']),
        timeoutSeconds: integer('Seconds the API server waits for the injector.', 1, 30),
        reinvocationPolicy: oneOfStrings('Never or IfNeeded.', ['Never', 'IfNeeded']),
        excludeNamespaces: namespaces("Namespaces never sent to the injector, besides the release's own and kube-system."),
        objectSelector: passThrough('Label selector: only pods it matches are sent ({}: all).'),
        caBundle: text('secret mode: base64 PEM of the CA of the serving certificate (or leave it to cert-manager via webhook.annotations).', {
          pattern: '^[A-Za-z0-9+/=]*$',
        }),
        annotations: stringMap('Annotations, e.g. cert-manager.io/inject-ca-from.'),
      }),
      rbac: closed('RBAC objects.', { create: bool('auto mode: a ClusterRole allowing get/patch of this webhook configuration only, by name.') }),
    },
    computedConfig: ['tlsAuto', 'tlsAutoHosts', 'webhookConfigName', 'tlsCertFile', 'tlsKeyFile'],
    rules: [{ if: { properties: { tls: { properties: { mode: { const: 'secret' } } } } }, then: { properties: { tls: { required: ['secretName'], properties: { secretName: { minLength: 1 } } } } } }],
  },
  {
    app: 'agent-renderer',
    envPrefix: 'AGENT_RENDERER',
    port: 8081,
    clientId: 'agent-renderer',
    config: {
      vaultAddress: text('VAULT_ADDRESS: the Vault/OpenBao the rotation service reads KV v2 metadata from.', { pattern: '^https?://' }),
      vaultTimeoutMs: integer('VAULT_TIMEOUT_MS: longest a Vault call may take.', 1),
      vaultNodes: stringList('VAULT_NODES: Vault node addresses whose vault.sealed.v1 pauses polling (joined with commas).', { type: 'string', pattern: '^https?://' }),
      kvV2Mounts: stringList('KV_V2_MOUNTS: KV v2 mounts whose paths are watched.', { type: 'string', pattern: '^[^\\s]+$' }, 1),
      pollMinIntervalMs: integer('POLL_MIN_INTERVAL_MS: shortest pause between two polling rounds.', 1),
      pollMaxIntervalMs: integer('POLL_MAX_INTERVAL_MS: longest pause (and error back-off cap).', 1),
      maxReadsPerSecond: integer('MAX_READS_PER_SECOND: metadata reads per second allowed against Vault.', 1),
      pollConcurrency: integer('POLL_CONCURRENCY: metadata reads in flight.', 1),
      stateStore: oneOfStrings('STATE_STORE: kubernetes (the Secret stateSecret) or memory (development).', ['kubernetes', 'memory']),
      restartOnRotate: bool('RESTART_ON_ROTATE: roll the workloads of opzero.io/restart-on-rotate pods.'),
      restartWindowMs: integer('RESTART_WINDOW_MS: rotations of one workload within it cause one restart.', 1),
      maxConcurrentRestarts: integer('MAX_CONCURRENT_RESTARTS: rollout restarts at once.', 1),
      leaderElection: bool('LEADER_ELECTION: one leader over the Lease rbac.leaseName polls and restarts; required with more than one replica.'),
      leaseDurationMs: integer("LEASE_DURATION_MS: how long a leader's claim lasts without renewal.", 1),
      watchGrantTtlMs: integer("WATCH_GRANT_TTL_MS: how long a sidecar token's read grant is trusted (a revoked token stops its pushes within it).", 1),
      podWatch: bool('POD_WATCH: watch pods and drop deleted ones from the index (rbac.watchNamespaces limits it to those namespaces).'),
      podGraceMs: integer('POD_GRACE_MS: an index entry no live pod matches for this long leaves at a sweep.', 1),
    },
    secretConfig: { vaultToken: 'VAULT_TOKEN: token whose policy reads <mount>/metadata/* only (list on <mount>/detailed-metadata/* lets OpenBao answer a folder of watched paths in one request).' },
    computedConfig: ['kubernetesNamespace', 'stateSecretName', 'leaseName', 'podName', 'podWatchNamespaces'],
    chosenConfig: ['leaderElection'],
    values: {
      stateSecret: closed('The Secret of last-seen versions (the app creates it; RBAC by name).', {
        name: objectName('Its name (default: <object name>-state).'),
      }),
      rbac: closed("RBAC objects: watch pods; get and patch deployments, statefulsets and daemonsets (rollout restart); get replicasets (a pod's owner); its Lease and state Secret.", {
        create: bool('Create them.'),
        watchNamespaces: namespaces('Namespaces it may act in (a Role in each); empty: cluster-wide (a ClusterRole).'),
        leaseName,
      }),
    },
  },
  {
    app: 'unseal-keeper',
    envPrefix: 'UNSEAL_KEEPER',
    port: 8082,
    clientId: 'unseal-keeper',
    config: {
      vaultAddresses: stringList("VAULT_ADDRESSES: each Vault/OpenBao node's own API address (not with kubernetesService).", { type: 'string', pattern: '^https?://' }, 1),
      kubernetesService: text(
        "KUBERNETES_SERVICE: discover the nodes as the pods behind this Service (name in the release namespace, or namespace/name) through its EndpointSlices, not-ready pods included; the chart grants reading them in that namespace.",
        { pattern: '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
      ),
      kubernetesServicePort: text("KUBERNETES_SERVICE_PORT: name of the Service port serving Vault's API ('' for an unnamed port).", { pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 15 }),
      kubernetesServiceScheme: oneOfStrings('KUBERNETES_SERVICE_SCHEME: how each discovered pod is reached.', ['http', 'https']),
      clusterName: text("CLUSTER_NAME: bound into every share's KMS context.", { pattern: '^[A-Za-z0-9._-]{1,64}$' }),
      pollIntervalMs: integer('POLL_INTERVAL_MS: time between seal-status polls of each node.', 1),
      pollJitter: { type: 'number', description: 'POLL_JITTER: each wait is the interval x (1 +- jitter).', minimum: 0, maximum: 0.5 },
      vaultTimeoutMs: integer('VAULT_TIMEOUT_MS: longest a Vault call may take.', 1),
      backoffInitialMs: integer('BACKOFF_INITIAL_MS: first wait after a failed unseal.', 1),
      backoffMaxMs: integer('BACKOFF_MAX_MS: longest wait after failures.', 1),
      kmsProvider: oneOfStrings('KMS_PROVIDER: which KMS encrypts the shares; none: watch only, no unsealing.', ['none', 'transit', 'aws-kms', 'azure-key-vault', 'local-key-file']),
      transitAddress: text('TRANSIT_ADDRESS: the transit Vault.', { pattern: '^https?://' }),
      transitKey: text('TRANSIT_KEY: transit key name.', { maxLength: 4096 }),
      transitMount: text('TRANSIT_MOUNT: transit mount path.', { maxLength: 256 }),
      transitNamespace: text('TRANSIT_NAMESPACE: Vault namespace of the transit mount.', { maxLength: 4096 }),
      awsKmsKeyId: text("AWS_KMS_KEY_ID: AWS KMS key (credentials: the SDK's own variables, through extraEnv/envFrom).", { maxLength: 4096 }),
      awsRegion: text('AWS_REGION: AWS region.', { maxLength: 4096 }),
      awsKmsEndpoint: text('AWS_KMS_ENDPOINT: a KMS-compatible endpoint (VPC endpoint).', { pattern: '^https?://' }),
      azureKeyVaultUrl: text('AZURE_KEY_VAULT_URL: the key vault (https).', { pattern: '^https://' }),
      azureKeyName: text('AZURE_KEY_NAME: key name.', { maxLength: 4096 }),
      azureKeyVersion: text('AZURE_KEY_VERSION: key version.', { maxLength: 4096 }),
      localKeyFile: text('LOCAL_KEY_FILE: development only; mount it with extraVolumes.', { maxLength: 4096 }),
      keyStore: oneOfStrings(
        'KEY_STORE: where the encrypted shares are kept; the chart default kubernetes uses keyStoreSecret (file needs a persistent volume: extraVolumes).',
        ['kubernetes', 'file', 'consul'],
      ),
      keyStoreFile: text('KEY_STORE_FILE: the file of the file store.', { maxLength: 4096 }),
      consulAddress: text('CONSUL_ADDRESS: Consul of the consul store.', { pattern: '^https?://' }),
      consulKey: text('CONSUL_KEY: KV key of the consul store.', { pattern: '^[A-Za-z0-9._/-]{1,512}$' }),
      leaderElection: bool('LEADER_ELECTION: elect one acting keeper over the Lease rbac.leaseName; required with more than one replica.'),
      leaseDurationMs: integer("LEASE_DURATION_MS: how long a leader's claim lasts without renewal.", 1),
      init: bool('INIT: initialise a node that reports initialized=false when the store is empty.'),
      initShares: integer('INIT_SHARES: Shamir shares at init.', 1, 10),
      initThreshold: integer('INIT_THRESHOLD: shares needed to unseal.', 1, 10),
      migrateSealConfigPath: text('MIGRATE_SEAL_CONFIG_PATH: migrate command, where the target seal stanza is written.', { maxLength: 4096 }),
      migrateTransitAddress: text("MIGRATE_TRANSIT_ADDRESS: migrate command, the transit seal's Vault.", { pattern: '^https?://' }),
      migrateTransitKey: text('MIGRATE_TRANSIT_KEY: migrate command, transit key.', { maxLength: 4096 }),
      migrateTransitMount: text('MIGRATE_TRANSIT_MOUNT: migrate command, transit mount.', { maxLength: 256 }),
    },
    computedConfig: ['kubernetesNamespace', 'kubernetesSecretName', 'leaseName', 'podName'],
    chosenConfig: ['keyStore', 'leaderElection'],
    secretConfig: {
      transitToken: 'TRANSIT_TOKEN: token for the transit KMS.',
      consulToken: 'CONSUL_TOKEN: ACL token of the consul store.',
      migrateTransitToken: 'MIGRATE_TRANSIT_TOKEN: migrate command, token for the transit seal.',
    },
    values: {
      rbac: closed('RBAC objects: the key-store Secret and its Lease, by name, in the release namespace.', {
        create: bool('Create them.'),
        leaseName,
        endpointSliceNamespaces,
      }),
      keyStoreSecret: closed('A Kubernetes Secret for the KMS-encrypted unseal shares, and the RBAC to it (for a Kubernetes key store).', {
        name: objectName('Its name (default: <object name>-keys).'),
        create: bool(
          'Create it empty, kept on uninstall (helm.sh/resource-policy: keep), so the keeper needs no create right; false: the keeper may create Secrets in the namespace.',
        ),
      }),
    },
  },
  {
    app: 'vm-config-collector',
    envPrefix: 'VM_CONFIG_COLLECTOR',
    port: 8083,
    clientId: 'vm-config-collector',
    config: {
      consulAddress: text('CONSUL_ADDRESS: Consul (or the consul-gateway) whose vm-config/ the service watches.', { pattern: '^https?://' }),
      watchWait: text('WATCH_WAIT: blocking query wait, a Consul duration up to 10m (e.g. 30s, 5m).', { pattern: '^([1-9][0-9]{0,2}s|[1-9]m|10m)$' }),
      databasePoolSize: integer('DATABASE_POOL_SIZE: PostgreSQL connections, at most.', 1, 1000),
      authProxyHeader: text('AUTH_PROXY_HEADER: header an authenticating proxy sets to the user (e.g. x-forwarded-user); requests carrying it may read the VM Config list.', { pattern: '^[a-z0-9-]{1,64}$' }),
    },
    secretConfig: {
      consulToken: 'CONSUL_TOKEN: ACL token with read on key_prefix "vm-config/".',
      databaseUrl: 'DATABASE_URL: postgresql://user:password@host:port/db of the external PostgreSQL keeping every version of the facts (migrations run at start).',
      apiToken: 'API_TOKEN: bearer token the VM Config list API accepts.',
    },
    values: {},
  },
  {
    app: 'consul-gateway',
    envPrefix: 'CONSUL_GATEWAY',
    port: 8084,
    clientId: 'consul-gateway',
    config: {
      seeds: stringList('SEEDS: Consul servers to start from, host[:port] each (required).', { type: 'string', minLength: 1 }, 1),
      listenHost: text('LISTEN_HOST: address of the Consul API and DNS listeners.', { minLength: 1 }),
      listenPort: integer('LISTEN_PORT: port of the Consul HTTP API proxy (service.apiPort targets it).', 1, 65535),
      dnsEnabled: bool('DNS_ENABLED: forward Consul DNS (UDP and TCP); the Service gets the dns ports.'),
      dnsPort: integer('DNS_PORT: port of the DNS forwarder (service.dnsPort targets it).', 1, 65535),
      readRouting: oneOfStrings('READ_ROUTING: leader (reads to the leader) or spread (stale reads anywhere).', ['leader', 'spread']),
      holdTimeoutMs: integer('HOLD_TIMEOUT_MS: longest a request is held while no server is usable.', 1),
      connectTimeoutMs: integer('CONNECT_TIMEOUT_MS: connect timeout to a Consul server.', 1),
      maxAttempts: integer('MAX_ATTEMPTS: attempts per request across servers.', 1),
      retryBackoffMs: integer('RETRY_BACKOFF_MS: wait between attempts.', 1),
      replayLimitBytes: integer('REPLAY_LIMIT_BYTES: largest request body kept for a retry.', 1),
      maxHeaderBytes: integer('MAX_HEADER_BYTES: largest request header block.', 1),
      headersTimeoutMs: integer('HEADERS_TIMEOUT_MS: time a client has to send its headers.', 1),
      requestTimeoutMs: integer('REQUEST_TIMEOUT_MS: longest request (blocking queries included).', 1),
      maxConnections: integer('MAX_CONNECTIONS: client connections at once.', 1),
      healthIntervalMs: integer('HEALTH_INTERVAL_MS: active health check period.', 1),
      healthFastIntervalMs: integer('HEALTH_FAST_INTERVAL_MS: health check period while a server is out.', 1),
      healthTimeoutMs: integer('HEALTH_TIMEOUT_MS: health check timeout.', 1),
      maxLastContactMs: integer('MAX_LAST_CONTACT_MS: a follower further behind the leader is not used.', 1),
      discoveryIntervalMs: integer('DISCOVERY_INTERVAL_MS: period of server discovery.', 1),
      serverHttpPort: integer('SERVER_HTTP_PORT: HTTP port of discovered servers.', 1, 65535),
      serverDnsPort: integer('SERVER_DNS_PORT: DNS port of discovered servers.', 1, 65535),
      httpPortMeta: text("HTTP_PORT_META: node meta key carrying a server's HTTP port.", { pattern: '^[A-Za-z0-9_-]{1,128}$' }),
      dnsPortMeta: text("DNS_PORT_META: node meta key carrying a server's DNS port.", { pattern: '^[A-Za-z0-9_-]{1,128}$' }),
      dnsAttemptTimeoutMs: integer('DNS_ATTEMPT_TIMEOUT_MS: timeout of one forwarded DNS query.', 1),
      eventBufferSize: integer('EVENT_BUFFER_SIZE: events held while Kafka is away.', 1),
      workers: integer('WORKERS: processes sharing the listeners (node:cluster).', 1),
      kubeService: text("KUBE_SERVICE: namespace/name of the Consul server Service whose EndpointSlices add servers; the chart grants reading them in that namespace.", {
        pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$',
      }),
      kubePortName: text("KUBE_PORT_NAME: the Service port (as named in its EndpointSlices) that is the servers' HTTP API.", { pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' }),
      catalogDiscovery: bool("CATALOG_DISCOVERY: also discover servers from Consul's catalog and raft peers (false: seeds and EndpointSlices only)."),
    },
    requiredConfig: ['seeds', 'listenPort', 'dnsEnabled', 'dnsPort'],
    secretConfig: { token: 'TOKEN: ACL token (agent:read) for the health checks.' },
    service: {
      apiPort: integer("Port of the fixed address's Consul HTTP API (targets config.listenPort).", 1, 65535),
      apiNodePort: { type: ['integer', 'null'], description: 'Fixed node port of the API (NodePort/LoadBalancer types); null lets Kubernetes choose.', minimum: 1, maximum: 65535 },
      dnsPort: integer('DNS port, UDP and TCP (targets config.dnsPort; with config.dnsEnabled).', 1, 65535),
      dnsNodePort: { type: ['integer', 'null'], description: 'Fixed node port of DNS (both protocols); null lets Kubernetes choose.', minimum: 1, maximum: 65535 },
    },
    values: {
      rbac: closed('RBAC objects.', { create: bool('Create them.'), endpointSliceNamespaces }),
    },
  },
];

/** The values.schema.json of one app chart. */
export function chartSchema(chart: AppChart): JsonSchema {
  const config = closed(
    `Settings of the app: each key becomes ${chart.envPrefix}_<UPPER_SNAKE>; a key left out keeps the app's default.`,
    { ...commonConfig(chart.port, chart.clientId), ...chart.config },
    ['port', 'shutdownTimeoutMs', ...(chart.requiredConfig ?? [])],
  );
  const secretRef = (description: string) =>
    closed(description, { secretName: text('The Secret (in the release namespace).', { minLength: 1 }), key: text('Its key.', { minLength: 1 }) }, ['secretName', 'key']);
  const secretConfig = closed(
    `Settings read from a Secret (env valueFrom), as ${chart.envPrefix}_<UPPER_SNAKE>: {secretName, key} each.`,
    Object.fromEntries(Object.entries(chart.secretConfig ?? {}).map(([key, description]) => [key, secretRef(description)])),
  );
  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `opzero ${chart.app} chart values`,
    type: 'object',
    properties: { config, secretConfig, ...chart.values, ...commonValues(chart.app, chart.service) },
    required: [...COMMON_REQUIRED, ...Object.keys(chart.values)],
    // Helm passes `global` to every chart and the library subchart's values under its name.
    additionalProperties: false,
  };
  if (schema.properties) {
    schema.properties['global'] = { type: 'object', description: 'Helm globals (unused).' };
    schema.properties['opzero-lib'] = { type: 'object', description: 'Values of the library subchart (unused).' };
  }
  if (chart.rules) schema.allOf = chart.rules;
  return schema;
}

/** Every chart's values.schema.json text, keyed by app. */
export function renderChartSchemas(): Map<string, string> {
  return new Map(APP_CHARTS.map((chart) => [chart.app, `${JSON.stringify(chartSchema(chart), null, 2)}\n`]));
}
