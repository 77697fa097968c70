import { posix } from 'node:path';
import { withDefaults } from './annotation-defaults';
import { AnnotationError } from './annotation-error';
import * as k from './annotation-keys';
import { AnnotationReader } from './annotation-reader';
import type { AgentSpec } from './agent-spec';
import { readContainerPatch } from './container-patch';
import type { InjectorSettings } from './injector-settings';
import type { Pod } from './pod-types';
import { readSecrets } from './secret-specs';
import { findAwsIamTokenMount, findServiceAccountTokenVolume } from './service-account';
import { readTelemetry } from './telemetry-config';
import { unsafeMountPath } from './volume-paths';

/** Vault Agent auto-auth methods; `auth-type` must name one of them. */
export const AUTH_TYPES = [
  'alicloud', 'approle', 'aws', 'azure', 'cert', 'cf', 'gcp', 'jwt', 'kerberos', 'kubernetes', 'ldap', 'oci', 'token_file',
] as const;

/** Agent features whose idle connections or keep-alives can be disabled. */
export const AGENT_FEATURES = ['auto-auth', 'caching', 'templating', 'proxying'] as const;

/**
 * Reads a pod's annotations, with the injector's defaults, into the agent to inject. Same
 * defaults and meaning as vault-k8s v1.7.6 (`agent.Init`, `agent.New`, `Agent.Validate`), and
 * stricter: anything invalid is collected and thrown as one AnnotationError naming every key.
 */
export function resolveAgent(pod: Pod, namespace: string, settings: InjectorSettings): AgentSpec {
  const annotations = withDefaults(pod, namespace, settings);
  const r = new AnnotationReader(annotations);
  const containers = pod.spec?.containers ?? [];

  for (const key of [k.AUTH_MIN_BACKOFF, k.AUTH_MAX_BACKOFF, k.TEMPLATE_STATIC_SECRET_RENDER_INTERVAL]) r.duration(key);
  const jsonPatch = readContainerPatch(r, k.AGENT_JSON_PATCH);
  const initJsonPatch = readContainerPatch(r, k.AGENT_INIT_JSON_PATCH);

  const serviceAccountTokenVolume = findServiceAccountTokenVolume(pod, r);
  const authType = r.string(k.AUTH_TYPE);
  const secrets = readSecrets(r);
  const prePopulate = r.bool(k.AGENT_PRE_POPULATE, true);
  const prePopulateOnly = r.bool(k.AGENT_PRE_POPULATE_ONLY, false);

  const injectInto = r.string(k.AGENT_INJECT_CONTAINERS).split(',');
  const names = new Set(containers.map((c) => c.name));
  const unknownContainers = injectInto.filter((name) => !names.has(name));
  if (unknownContainers.length > 0) {
    r.problem(
      k.AGENT_INJECT_CONTAINERS,
      r.string(k.AGENT_INJECT_CONTAINERS),
      `names no container ${listed(unknownContainers)}; the pod has ${listed([...names]) || 'no containers'} (comma-separated, no spaces)`,
    );
  }

  const copyFrom = r.string(k.AGENT_COPY_VOLUME_MOUNTS);
  if (copyFrom !== '' && ![...containers, ...(pod.spec?.initContainers ?? [])].some((c) => c.name === copyFrom)) {
    r.problem(k.AGENT_COPY_VOLUME_MOUNTS, copyFrom, 'names no container or init container of the pod');
  }

  const role = r.string(k.ROLE);
  const authConfig: Record<string, unknown> = {};
  if (serviceAccountTokenVolume && serviceAccountTokenVolume.mountPath !== '' && serviceAccountTokenVolume.tokenPath !== '') {
    authConfig['token_path'] = posix.join(serviceAccountTokenVolume.mountPath, serviceAccountTokenVolume.tokenPath);
  }
  const authPrefix = `${k.AUTH_CONFIG}-`;
  for (const key in annotations) {
    if (key.startsWith(authPrefix)) authConfig[key.slice(authPrefix.length).replaceAll('-', '_')] = annotations[key];
  }
  if (role !== '') authConfig['role'] = role;

  const runAsSameId = r.bool(k.AGENT_RUN_AS_SAME_USER, false);
  let runAsUser = r.id(k.AGENT_RUN_AS_USER, 100n, 'user');
  const runAsGroup = r.id(k.AGENT_RUN_AS_GROUP, 1000n, 'group');
  if (runAsSameId) {
    const first = containers[0];
    const uid = first?.securityContext?.runAsUser;
    const why = !first
      ? 'is true but the pod has no containers'
      : !first.securityContext
        ? `is true but container ${first.name} has no securityContext; set securityContext.runAsUser on it`
        : uid === undefined || uid === null
          ? `is true but container ${first.name} has no securityContext.runAsUser; set it`
          : uid === 0
            ? `is true but container ${first.name} runs as root (runAsUser 0); the agent may not run as root`
            : uid < 0 || uid > 2147483647
              ? `is true but container ${first.name} has runAsUser ${uid}, which is not a user id from 1 to 2147483647`
              : undefined;
    if (why) r.problem(k.AGENT_RUN_AS_SAME_USER, r.string(k.AGENT_RUN_AS_SAME_USER), why);
    else runAsUser = BigInt(uid as number);
  }

  let shareProcessNamespace: boolean | undefined;
  if (r.has(k.AGENT_SHARE_PROCESS_NAMESPACE)) {
    shareProcessNamespace = r.bool(k.AGENT_SHARE_PROCESS_NAMESPACE, false);
    if (shareProcessNamespace && pod.spec?.shareProcessNamespace === false) {
      r.problem(k.AGENT_SHARE_PROCESS_NAMESPACE, 'true', 'conflicts with spec.shareProcessNamespace: false on the pod; remove one of them');
    }
  }

  const cacheEnable = r.bool(k.AGENT_CACHE_ENABLE, false);
  // Still validated as a bool (vault-k8s accepts it), but it has no effect: persistent caches are refused below.
  r.bool(k.AGENT_CACHE_EXIT_ON_ERR, false);
  // vault-k8s makes the cache persistent when an init container runs before the sidecar, so the
  // sidecar reuses the init container's token. opzero's agent has no persistent cache: refusing
  // here names the annotation, instead of injecting a config the agent would exit 78 on.
  if (cacheEnable && prePopulate && !prePopulateOnly) {
    r.problem(
      k.AGENT_CACHE_ENABLE,
      'true',
      'needs a persistent cache when the init container runs before the sidecar, which opzero does not support; set vault.hashicorp.com/agent-pre-populate: "false" to cache in the sidecar only',
    );
  }
  const defaultTemplate = r.string(k.AGENT_INJECT_DEFAULT_TEMPLATE).toLowerCase();
  if (defaultTemplate !== 'map' && defaultTemplate !== 'json') {
    r.problem(k.AGENT_INJECT_DEFAULT_TEMPLATE, r.string(k.AGENT_INJECT_DEFAULT_TEMPLATE), 'is not a default template type (map or json)');
  }

  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const setQuantity = (target: Record<string, string>, resource: string, key: string) => {
    const value = r.quantity(key);
    if (value !== undefined) target[resource] = value;
  };
  setQuantity(limits, 'cpu', k.AGENT_LIMITS_CPU);
  setQuantity(limits, 'memory', k.AGENT_LIMITS_MEM);
  setQuantity(limits, 'ephemeral-storage', k.AGENT_LIMITS_EPHEMERAL);
  setQuantity(requests, 'cpu', k.AGENT_REQUESTS_CPU);
  setQuantity(requests, 'memory', k.AGENT_REQUESTS_MEM);
  setQuantity(requests, 'ephemeral-storage', k.AGENT_REQUESTS_EPHEMERAL);

  const spec: AgentSpec = {
    pod,
    annotations,
    image: r.string(k.AGENT_IMAGE),
    containers: injectInto,
    initFirst: r.bool(k.AGENT_INIT_FIRST, false),
    prePopulate,
    prePopulateOnly,
    revokeOnShutdown: r.bool(k.AGENT_REVOKE_ON_SHUTDOWN, false),
    revokeGrace: r.uint(k.AGENT_REVOKE_GRACE, 5n),
    limits,
    requests,
    namespace: r.string(k.AGENT_REQUEST_NAMESPACE),
    secrets,
    serviceAccountTokenVolume: serviceAccountTokenVolume ?? { name: '', mountPath: '', tokenPath: '' },
    configMapName: r.string(k.AGENT_CONFIGMAP),
    extraSecret: r.string(k.AGENT_EXTRA_SECRET),
    copyVolumeMounts: r.string(k.AGENT_COPY_VOLUME_MOUNTS),
    awsIamToken: authType === 'aws' ? findAwsIamTokenMount(pod) : undefined,
    jsonPatch,
    initJsonPatch,
    vault: {
      address: r.string(k.SERVICE),
      proxyAddress: r.string(k.PROXY_ADDRESS),
      authType,
      authPath: r.string(k.AUTH_PATH),
      authConfig,
      caCert: r.string(k.CA_CERT),
      caCertBytes: settings.vaultCaCertBytes,
      caKey: r.string(k.CA_KEY),
      clientCert: r.string(k.CLIENT_CERT),
      clientKey: r.string(k.CLIENT_KEY),
      clientMaxRetries: r.string(k.CLIENT_MAX_RETRIES),
      clientTimeout: r.string(k.CLIENT_TIMEOUT),
      goMaxProcs: r.string(k.GO_MAX_PROCS),
      logLevel: r.oneOf(k.LOG_LEVEL, ['trace', 'debug', 'info', 'warn', 'error']),
      logFormat: r.oneOf(k.LOG_FORMAT, ['standard', 'json']),
      namespace: r.string(k.NAMESPACE),
      role,
      tlsSecret: r.string(k.TLS_SECRET),
      tlsSkipVerify: r.bool(k.TLS_SKIP_VERIFY, false),
      tlsServerName: r.string(k.TLS_SERVER_NAME),
      authMinBackoff: r.string(k.AUTH_MIN_BACKOFF),
      authMaxBackoff: r.string(k.AUTH_MAX_BACKOFF),
      telemetry: readTelemetry(r),
    },
    cache: {
      enable: cacheEnable,
      listenerPort: r.string(k.AGENT_CACHE_LISTENER_PORT),
      useAutoAuthToken: r.oneOf(k.AGENT_CACHE_USE_AUTO_AUTH_TOKEN, ['true', 'false', 'force']),
    },
    templateConfig: {
      exitOnRetryFailure: r.bool(k.TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE, true),
      staticSecretRenderInterval: r.string(k.TEMPLATE_STATIC_SECRET_RENDER_INTERVAL),
      maxConnectionsPerHost: r.int(k.TEMPLATE_MAX_CONNECTIONS_PER_HOST, 0n, true),
      leaseRenewalThreshold: r.float(k.TEMPLATE_LEASE_RENEWAL_THRESHOLD, 0, [0, 1]),
    },
    runAsUser,
    runAsGroup,
    runAsSameId,
    shareProcessNamespace,
    setSecurityContext: r.bool(k.AGENT_SET_SECURITY_CONTEXT, true),
    defaultTemplate: defaultTemplate === 'json' ? 'json' : 'map',
    injectToken: r.bool(k.AGENT_INJECT_TOKEN, false),
    enableQuit: r.bool(k.AGENT_ENABLE_QUIT, false),
    disableIdleConnections: r.list(k.AGENT_DISABLE_IDLE_CONNECTIONS, AGENT_FEATURES),
    disableKeepAlives: r.list(k.AGENT_DISABLE_KEEP_ALIVES, AGENT_FEATURES),
    autoAuthExitOnError: r.bool(k.AGENT_AUTO_AUTH_EXIT_ON_ERR, false),
    restartOnRotate: r.bool(k.OPZERO_RESTART_ON_ROTATE, false),
  };

  checkStrict(r, spec);
  checkComplete(r, spec);
  if (r.problems.length > 0) throw new AnnotationError(r.problems);
  return spec;
}

/** Up to ten quoted names, then how many more. */
function listed(names: string[]): string {
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

/** What opzero checks and vault-k8s does not (each listed in docs/annotations.md). */
function checkStrict(r: AnnotationReader, spec: AgentSpec): void {
  const mountProblem = unsafeMountPath(r.string(k.SECRET_VOLUME_PATH));
  if (mountProblem) r.problem(k.SECRET_VOLUME_PATH, r.string(k.SECRET_VOLUME_PATH), mountProblem);
  if (spec.vault.authType !== '' && !(AUTH_TYPES as readonly string[]).includes(spec.vault.authType)) {
    r.problem(k.AUTH_TYPE, spec.vault.authType, `is not a Vault Agent auth method; use one of ${AUTH_TYPES.join(', ')}`);
  }
  const port = Number(spec.cache.listenerPort);
  if (!/^\d{1,5}$/.test(spec.cache.listenerPort) || port < 1 || port > 65535) {
    r.problem(k.AGENT_CACHE_LISTENER_PORT, spec.cache.listenerPort, 'is not a TCP port (1-65535)');
  }
  if (spec.vault.goMaxProcs !== '' && !/^[1-9]\d{0,3}$/.test(spec.vault.goMaxProcs)) {
    r.problem(k.GO_MAX_PROCS, spec.vault.goMaxProcs, 'is not a positive whole number (e.g. 2)');
  }
  if (spec.vault.clientMaxRetries !== '' && !/^\d{1,4}$/.test(spec.vault.clientMaxRetries)) {
    r.problem(k.CLIENT_MAX_RETRIES, spec.vault.clientMaxRetries, 'is not a whole number of retries (e.g. 2)');
  }
  if (spec.vault.clientTimeout !== '' && !/^\d+$/.test(spec.vault.clientTimeout)) r.duration(k.CLIENT_TIMEOUT);
  for (const key of [k.AGENT_CONFIGMAP, k.AGENT_EXTRA_SECRET, k.TLS_SECRET]) {
    const value = r.string(key);
    if (value !== '' && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value)) {
      r.problem(key, value, 'is not a Kubernetes object name (lower-case letters, digits, "-" and ".")');
    }
  }
}

/** vault-k8s `Agent.Validate`: what an agent needs to start at all. */
function checkComplete(r: AnnotationReader, spec: AgentSpec): void {
  if (spec.namespace === '') r.problem(k.AGENT_REQUEST_NAMESPACE, '', 'is empty; the request namespace is required');
  if (spec.image === '') r.problem(k.AGENT_IMAGE, '', 'is empty; remove it to use the injector default or name an image');
  if (spec.configMapName !== '') return;
  if (spec.vault.authType === '') r.problem(k.AUTH_TYPE, '', 'is empty; name a Vault auth method (e.g. kubernetes)');
  if (spec.vault.authType === 'kubernetes' && spec.vault.role === '' && (spec.annotations[`${k.AUTH_CONFIG}-role`] ?? '') === '') {
    r.problem(k.ROLE, undefined, 'is missing; the kubernetes auth method needs the Vault role to log in with');
  }
  if (spec.vault.authPath === '') r.problem(k.AUTH_PATH, '', 'is empty; give the auth method mount path (e.g. auth/kubernetes)');
  if (spec.vault.address === '') r.problem(k.SERVICE, '', 'is empty; give the Vault address (e.g. https://vault:8200)');
}
