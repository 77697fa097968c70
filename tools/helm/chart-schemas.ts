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
  /** Top-level values beyond the common ones. */
  values: Record<string, JsonSchema>;
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
      tlsAutoValidityHours: integer('TLS_AUTO_VALIDITY_HOURS: auto TLS, lifetime of each serving certificate (default 720).', 1),
      tlsAutoCaValidityHours: integer('TLS_AUTO_CA_VALIDITY_HOURS: auto TLS, lifetime of each CA, at least 3x the above (default 8760).', 1),
      bodyLimitBytes: integer('BODY_LIMIT_BYTES: largest AdmissionReview accepted (default 3 MiB).', 1),
      eventBufferSize: integer('EVENT_BUFFER_SIZE: pod-created events held while Kafka is away (default 10000).', 1),
      workers: integer('WORKERS: processes serving /mutate; must be 1 with tls.mode=auto (default 1).', 1),
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
    rules: [{ if: { properties: { tls: { properties: { mode: { const: 'secret' } } } } }, then: { properties: { tls: { required: ['secretName'], properties: { secretName: { minLength: 1 } } } } } }],
  },
  {
    app: 'agent-renderer',
    envPrefix: 'AGENT_RENDERER',
    port: 8081,
    clientId: 'agent-renderer',
    config: {},
    values: {
      rbac: closed('RBAC objects: watch pods; get and patch deployments, statefulsets and daemonsets (rollout restart); get replicasets (a pod\'s owner); its Lease.', {
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
    config: {},
    values: {
      rbac: closed('RBAC objects: its key-store Secret and its Lease, by name, in the release namespace.', {
        create: bool('Create them.'),
        leaseName,
        endpointSliceNamespaces,
      }),
      keyStore: closed('The Kubernetes Secret that holds the KMS-encrypted unseal shares.', {
        secretName: objectName('Its name (default: <object name>-keys).'),
        createSecret: bool(
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
    config: {},
    values: {},
  },
  {
    app: 'consul-gateway',
    envPrefix: 'CONSUL_GATEWAY',
    port: 8084,
    clientId: 'consul-gateway',
    config: {},
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
    ['port', 'shutdownTimeoutMs'],
  );
  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `opzero ${chart.app} chart values`,
    type: 'object',
    properties: { config, ...chart.values, ...commonValues(chart.app) },
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
