import { bool, closed, integer, oneOfStrings, passThrough, passThroughList, stringList, stringMap, text, type JsonSchema } from './json-schema';

/** A Kubernetes object name (DNS label), as the API server requires for Services and Deployments. */
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
/** `host:port`, the form of each entry of <PREFIX>_KAFKA_BROKERS (libs/config brokerList). */
const BROKER = '^[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}$';
/** A Kubernetes quantity or an integer percentage, as a PodDisruptionBudget takes. */
const countOrPercent = (description: string): JsonSchema => ({
  description,
  oneOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^[0-9]{1,3}%$' },
  ],
});

/** The settings every app has (libs/config commonAppShape), as `config.*` values. */
export function commonConfig(port: number, clientId: string): Record<string, JsonSchema> {
  return {
    host: text(`HOST: address the app listens on (default 0.0.0.0).`, { minLength: 1 }),
    port: integer(`PORT: the app's port (default ${port}); the container port, probes and Service target follow it.`, 1, 65535),
    logLevel: oneOfStrings('LOG_LEVEL: pino level (default info).', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    kafkaBrokers: stringList('KAFKA_BROKERS: Kafka bootstrap servers, host:port each (joined with commas).', { type: 'string', pattern: BROKER }, 1),
    kafkaClientId: text(`KAFKA_CLIENT_ID: Kafka client id (default ${clientId}).`, { minLength: 1 }),
    kafkaTopicPartitions: integer('KAFKA_TOPIC_PARTITIONS: partitions of the topics the app creates (default 3).', 1),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS: longest graceful shutdown (default 15000); the pod grace period is this plus 5 s.', 1),
  };
}

/** Top-level values every chart has (the opzero-lib templates read them). */
export function commonValues(app: string, serviceExtra: Record<string, JsonSchema> = {}): Record<string, JsonSchema> {
  const probe = (which: string) =>
    closed(`${which} probe timing (the path is fixed).`, {
      initialDelaySeconds: integer('Seconds before the first probe.', 0),
      periodSeconds: integer('Seconds between probes.', 1),
      timeoutSeconds: integer('Seconds a probe may take.', 1),
      failureThreshold: integer('Failures in a row that count.', 1),
      successThreshold: integer('Successes in a row that count (1 for liveness).', 1),
    });
  return {
    nameOverride: text('Replaces the chart name in object names and the app.kubernetes.io/name label.', { pattern: `^$|${DNS_LABEL}` }),
    fullnameOverride: text('Replaces the whole object name (default <release>-<chart>, or the release name when it contains the chart name).', {
      pattern: `^$|${DNS_LABEL}`,
    }),
    replicaCount: integer('Pods of the Deployment.', 0),
    image: closed(
      'The app image (built in a later issue).',
      {
        repository: text(`Image repository (default opzero/${app}).`, { minLength: 1 }),
        tag: text("Image tag; empty means the chart's appVersion."),
        pullPolicy: oneOfStrings('Kubernetes imagePullPolicy.', ['Always', 'IfNotPresent', 'Never']),
      },
      ['repository'],
    ),
    imagePullSecrets: passThroughList('Pod imagePullSecrets ([{name: ...}]).'),
    serviceAccount: closed('The ServiceAccount the pods run as.', {
      create: bool('Create it (false: use serviceAccount.name, which must exist).'),
      name: text('Its name (default: the object name).', { pattern: `^$|${DNS_LABEL}` }),
      annotations: stringMap('Annotations on the ServiceAccount.'),
      automount: bool("Mount the ServiceAccount token in the pods (the apps that talk to the API server need it)."),
    }),
    service: closed('The Service in front of the pods.', {
      type: oneOfStrings('Service type.', ['ClusterIP', 'NodePort', 'LoadBalancer']),
      port: integer('Service port; it targets config.port.', 1, 65535),
      annotations: stringMap('Annotations on the Service (e.g. for a cloud load balancer).'),
      nodePort: { type: ['integer', 'null'], description: 'Fixed node port (NodePort or LoadBalancer type); null lets Kubernetes choose.', minimum: 1, maximum: 65535 },
      loadBalancerIP: text('Fixed address asked of the load balancer (LoadBalancer type).'),
      externalTrafficPolicy: { type: 'string', description: 'Cluster or Local (NodePort/LoadBalancer types); empty: Kubernetes default.', enum: ['', 'Cluster', 'Local'] },
      extraPorts: passThroughList('More Service ports, as Kubernetes ServicePort objects.'),
      ...serviceExtra,
    }),
    podSecurityContext: closed(
      'User and groups of the pods. Non-root, read-only root filesystem, no privilege escalation, no capabilities and seccomp RuntimeDefault are fixed.',
      {
        runAsUser: integer('UID (never 0).', 1),
        runAsGroup: integer('GID (never 0).', 1),
        fsGroup: integer('Group owning mounted volumes.', 1),
      },
      ['runAsUser', 'runAsGroup', 'fsGroup'],
    ),
    resources: passThrough('Container resources (requests/limits).'),
    probes: closed('Timing of the /healthz (liveness) and /readyz (readiness) probes.', {
      liveness: probe('Liveness'),
      readiness: probe('Readiness'),
    }),
    podDisruptionBudget: closed('PodDisruptionBudget of the pods.', {
      enabled: bool('Create it.'),
      maxUnavailable: countOrPercent('Pods that may be down at once (used unless minAvailable is set).'),
      minAvailable: countOrPercent('Pods that must stay up (replaces maxUnavailable).'),
    }),
    serviceMonitor: closed('Prometheus Operator ServiceMonitor for /metrics (needs its CRDs).', {
      enabled: bool('Create it.'),
      interval: text('Scrape interval.', { pattern: '^[0-9]+(ms|s|m|h)$' }),
      scrapeTimeout: text('Scrape timeout.', { pattern: '^[0-9]+(ms|s|m|h)$' }),
      labels: stringMap('Labels the Prometheus instance selects ServiceMonitors by.'),
    }),
    podAnnotations: stringMap('Annotations on the pods.'),
    podLabels: stringMap('Extra labels on the pods.'),
    priorityClassName: text('PriorityClass of the pods.'),
    nodeSelector: stringMap('Pod nodeSelector.'),
    tolerations: passThroughList('Pod tolerations.'),
    affinity: passThrough('Pod affinity.'),
    topologySpreadConstraints: passThroughList('Pod topologySpreadConstraints.'),
    extraEnv: passThroughList('More container env entries (EnvVar objects, valueFrom allowed); one named like a generated variable replaces it.'),
    envFrom: passThroughList('Container envFrom (ConfigMaps/Secrets of variables).'),
    extraContainerPorts: passThroughList('More container ports (ContainerPort objects).'),
    extraVolumes: passThroughList('More pod volumes.'),
    extraVolumeMounts: passThroughList('More container volume mounts.'),
  };
}

/** Values every chart must have for its templates to render. */
export const COMMON_REQUIRED = ['config', 'image', 'service', 'serviceAccount', 'podSecurityContext', 'probes', 'podDisruptionBudget', 'serviceMonitor'];
