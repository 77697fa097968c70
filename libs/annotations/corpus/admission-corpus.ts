/**
 * AdmissionReviews shaped as the API server sends them (the ServiceAccount admission plugin has
 * already added the kube-api-access volume and mounts), one or more per annotation family and
 * lifecycle combination. Shared by the unit tests, the vault-k8s compatibility test and the
 * benchmark.
 */
import type { AdmissionReview } from '../src/admission/admission-review';
import type { Container, Pod } from '../src/pod-types';

export interface CorpusCase {
  name: string;
  review: AdmissionReview;
  /**
   * `same`: both injectors give the same pod (or both deny). `stricter`: opzero denies what
   * vault-k8s accepts, for the reason given (listed in docs/annotations.md).
   */
  expect: 'same' | { stricter: string };
}

const SA_VOLUME = {
  name: 'kube-api-access-x7k2p',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const SA_MOUNT = { name: 'kube-api-access-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

const app = (name = 'app', extra: Partial<Container> = {}): Container => ({
  name,
  image: 'registry.local/app:1.0',
  ports: [{ containerPort: 8080, protocol: 'TCP' }],
  resources: {},
  volumeMounts: [SA_MOUNT],
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
  ...extra,
});

interface PodOptions {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Pod['spec'] extends infer S ? (S extends { volumes?: infer V } ? V : never) : never;
  spec?: Record<string, unknown>;
  name?: string;
}

let counter = 0;

/** A pod as the API server hands it to a mutating webhook on CREATE. */
export function podWith(annotations: Record<string, string>, options: PodOptions = {}): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(options.name === undefined ? { generateName: 'web-7d9f8c6b5-' } : { name: options.name }),
      namespace: 'team-a',
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' },
      annotations: { 'vault.hashicorp.com/agent-inject': 'true', ...annotations },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', uid: '5c8e1f7e-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      volumes: options.volumes ?? [SA_VOLUME],
      containers: options.containers ?? [app()],
      ...(options.initContainers ? { initContainers: options.initContainers } : {}),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'web',
      serviceAccount: 'web',
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      ...(options.spec ?? {}),
    },
    status: {},
  };
  return pod;
}

/** Wraps a pod in a v1 (or v1beta1) AdmissionReview for a CREATE in its namespace. */
export function reviewOf(pod: Pod, apiVersion: AdmissionReview['apiVersion'] = 'admission.k8s.io/v1', operation = 'CREATE'): AdmissionReview {
  counter += 1;
  const uid = `0b1e7d2a-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    apiVersion,
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace: pod.metadata?.namespace ?? 'team-a',
      operation,
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'b7c1', groups: ['system:serviceaccounts', 'system:authenticated'] },
      object: pod,
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

const role = { 'vault.hashicorp.com/role': 'web' };
const secret = { ...role, 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web' };
const same = 'same' as const;
const c = (name: string, annotations: Record<string, string>, options: PodOptions = {}, expect: CorpusCase['expect'] = same): CorpusCase => ({
  name,
  review: reviewOf(podWith(annotations, options)),
  expect,
});

/** The corpus. */
export function admissionCorpus(): CorpusCase[] {
  counter = 0;
  const V = (key: string) => `vault.hashicorp.com/${key}`;
  const twoApps = { containers: [app('app'), app('metrics')] };
  return [
    c('one secret, defaults (init + sidecar)', secret),
    c('no secrets, role only', role),
    c('three secrets', { ...secret, [V('agent-inject-secret-api')]: 'secret/data/web/api', [V('agent-inject-secret-cert')]: 'pki/issue/web' }),
    c('pre-populate-only', { ...secret, [V('agent-pre-populate-only')]: 'true' }),
    c('pre-populate false (sidecar only)', { ...secret, [V('agent-pre-populate')]: 'false' }),
    c('init-first with existing init container', { ...secret, [V('agent-init-first')]: 'true' }, { initContainers: [app('migrate')] }),
    c('init last with existing init containers', secret, { initContainers: [app('migrate'), app('seed', { volumeMounts: undefined })] }),
    c('init-first without init containers', { ...secret, [V('agent-init-first')]: 'true' }),
    c('inject into named container only', { ...secret, [V('agent-inject-containers')]: 'metrics' }, twoApps),
    c('inject into both containers by default', secret, twoApps),
    c('inject-containers naming no container', { ...secret, [V('agent-inject-containers')]: 'app,worker' }, {}, { stricter: 'agent-inject-containers names a container the pod does not have' }),
    c('custom template', { ...secret, [V('agent-inject-template-db')]: '{{ with secret "database/creds/web" }}postgres://{{ .Data.username }}:{{ .Data.password }}@db/app{{ end }}' }),
    c('template only (no secret path)', { ...role, [V('agent-inject-template-config')]: '{{ with secret "secret/data/web" }}{{ .Data.data.mode }}{{ end }}' }),
    c('template file', { ...role, [V('agent-inject-secret-db')]: 'database/creds/web', [V('agent-inject-template-file-db')]: '/vault/custom/db.tmpl', [V('agent-extra-secret')]: 'web-templates' }),
    c('file name', { ...secret, [V('agent-inject-file-db')]: 'db.env' }),
    c('file in a subdirectory', { ...secret, [V('agent-inject-file-db')]: 'config/db.env' }),
    c('file escaping the volume', { ...secret, [V('agent-inject-file-db')]: '../../etc/passwd' }, {}, { stricter: 'agent-inject-file escapes the secrets volume' }),
    c('absolute file name', { ...secret, [V('agent-inject-file-db')]: '/etc/db.env' }, {}, { stricter: 'agent-inject-file is absolute' }),
    c('perms', { ...secret, [V('agent-inject-perms-db')]: '0440' }),
    c('perms not octal', { ...secret, [V('agent-inject-perms-db')]: '999' }, {}, { stricter: 'agent-inject-perms is not an octal mode' }),
    c('command', { ...secret, [V('agent-inject-command-db')]: 'kill -HUP $(pidof app)' }),
    c('delimiters', { ...secret, [V('agent-inject-template-db')]: '[[ with secret "database/creds/web" ]][[ .Data.username ]][[ end ]]', [V('agent-template-left-delim-db')]: '[[', [V('agent-template-right-delim-db')]: ']]' }),
    c('error-on-missing-key', { ...secret, [V('error-on-missing-key-db')]: 'true' }),
    c('error-on-missing-key invalid', { ...secret, [V('error-on-missing-key-db')]: 'sometimes' }),
    c('upper-case name lower-cased', { ...role, [V('agent-inject-secret-DBCreds')]: 'database/creds/web' }),
    c('preserve-secret-case global', { ...role, [V('agent-inject-secret-DBCreds')]: 'database/creds/web', [V('preserve-secret-case')]: 'true' }),
    c('preserve-secret-case per secret', { ...role, [V('agent-inject-secret-DBCreds')]: 'database/creds/web', [V('preserve-secret-case-DBCreds')]: 'true' }),
    c('secret-volume-path global', { ...secret, [V('secret-volume-path')]: '/etc/secrets' }),
    c('secret-volume-path per secret', { ...secret, [V('agent-inject-secret-api')]: 'secret/data/api', [V('secret-volume-path-api')]: '/etc/api' }),
    c('secret-volume-path relative', { ...secret, [V('secret-volume-path')]: 'secrets' }, {}, { stricter: 'secret-volume-path is not absolute' }),
    c('default template json', { ...secret, [V('agent-inject-default-template')]: 'json' }),
    c('default template invalid', { ...secret, [V('agent-inject-default-template')]: 'yaml' }),
    c('inject token', { ...secret, [V('agent-inject-token')]: 'true' }),
    c('revoke on shutdown with grace', { ...secret, [V('agent-revoke-on-shutdown')]: 'true', [V('agent-revoke-grace')]: '10' }),
    c('enable quit', { ...secret, [V('agent-enable-quit')]: 'true' }),
    c('share process namespace', { ...secret, [V('agent-share-process-namespace')]: 'true' }),
    c('share process namespace conflicting with pod', { ...secret, [V('agent-share-process-namespace')]: 'true' }, { spec: { shareProcessNamespace: false } }),
    c('resources', { ...secret, [V('agent-limits-cpu')]: '1', [V('agent-limits-mem')]: '256Mi', [V('agent-requests-cpu')]: '0.1', [V('agent-requests-mem')]: '1024Ki', [V('agent-limits-ephemeral')]: '1Gi', [V('agent-requests-ephemeral')]: '512Mi' }),
    c('resources unset by empty value', { ...secret, [V('agent-limits-cpu')]: '', [V('agent-limits-mem')]: '' }),
    c('resource quantity invalid', { ...secret, [V('agent-limits-mem')]: '128 MB' }),
    c('run as user and group', { ...secret, [V('agent-run-as-user')]: '2000', [V('agent-run-as-group')]: '3000' }),
    c('run as root', { ...secret, [V('agent-run-as-user')]: '0' }),
    c('run as same user', { ...secret, [V('agent-run-as-same-user')]: 'true' }, { containers: [app('app', { securityContext: { runAsUser: 1234 } })] }),
    c('run as same user without runAsUser', { ...secret, [V('agent-run-as-same-user')]: 'true' }),
    c('security context off', { ...secret, [V('agent-set-security-context')]: 'false' }),
    c('vault address and proxy', { ...secret, [V('service')]: 'https://vault.example.internal:8200', [V('proxy-address')]: 'http://proxy:3128' }),
    c('tls settings', { ...secret, [V('tls-skip-verify')]: 'true', [V('tls-server-name')]: 'vault.internal', [V('ca-cert')]: '/vault/tls/ca.crt', [V('ca-key')]: '/vault/tls/ca', [V('client-cert')]: '/vault/tls/tls.crt', [V('client-key')]: '/vault/tls/tls.key', [V('tls-secret')]: 'vault-client-tls' }),
    c('client settings and logs', { ...secret, [V('client-max-retries')]: '5', [V('client-timeout')]: '30s', [V('go-max-procs')]: '2', [V('log-level')]: 'debug', [V('log-format')]: 'json' }),
    c('vault namespace', { ...secret, [V('namespace')]: 'team-a/ns1' }),
    c('auth path and config', { ...secret, [V('auth-path')]: 'auth/k8s-prod', [V('auth-config-token-path')]: '/var/run/secrets/tokens/vault', [V('auth-config-remove-jwt-after-reading')]: 'false' }),
    c('auth-config-role instead of role', { [V('agent-inject-secret-db')]: 'database/creds/web', [V('auth-config-role')]: 'web' }),
    c('auth type approle', { [V('agent-inject-secret-db')]: 'database/creds/web', [V('auth-type')]: 'approle', [V('auth-path')]: 'auth/approle', [V('auth-config-role-id-file-path')]: '/vault/custom/role-id', [V('agent-extra-secret')]: 'approle' }),
    c('auth type jwt', { ...secret, [V('auth-type')]: 'jwt', [V('auth-path')]: 'auth/jwt', [V('auth-config-path')]: '/var/run/secrets/kubernetes.io/serviceaccount/token' }),
    c('auth type aws with IRSA', { ...secret, [V('auth-type')]: 'aws', [V('auth-config-region')]: 'eu-west-1' }, { containers: [app('app', { env: [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::1:role/web' }], volumeMounts: [SA_MOUNT, { name: 'aws-iam-token', readOnly: true, mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount' }] })] }),
    c('auth type unknown', { ...secret, [V('auth-type')]: 'kubernetez' }, {}, { stricter: 'auth-type names no Vault Agent auth method' }),
    c('missing role', { [V('agent-inject-secret-db')]: 'database/creds/web' }),
    c('auth backoff', { ...secret, [V('auth-min-backoff')]: '2s', [V('auth-max-backoff')]: '1m' }),
    c('auth backoff invalid', { ...secret, [V('auth-min-backoff')]: 'soon' }),
    c('auto-auth exit on err', { ...secret, [V('agent-auto-auth-exit-on-err')]: 'true' }),
    c('cache enabled (persistent with init)', { ...secret, [V('agent-cache-enable')]: 'true', [V('agent-cache-listener-port')]: '8100', [V('agent-cache-use-auto-auth-token')]: 'force', [V('agent-cache-exit-on-err')]: 'true' }, {}, { stricter: 'opzero has no persistent cache; refused by name rather than injected broken' }),
    c('cache enabled sidecar only', { ...secret, [V('agent-cache-enable')]: 'true', [V('agent-pre-populate')]: 'false' }),
    c('template config', { ...secret, [V('template-config-exit-on-retry-failure')]: 'false', [V('template-static-secret-render-interval')]: '10m', [V('template-max-connections-per-host')]: '20', [V('template-lease-renewal-threshold')]: '0.75' }),
    c('disable idle connections and keep-alives', { ...secret, [V('agent-disable-idle-connections')]: 'auto-auth,templating', [V('agent-disable-keep-alives')]: 'caching' }),
    c('telemetry', { ...secret, [V('agent-telemetry-prometheus-retention-time')]: '24h', [V('agent-telemetry-disable-hostname')]: 'true', [V('agent-telemetry-prefix-filter')]: '["+vault.token"]' }),
    c('configmap', { [V('agent-configmap')]: 'web-agent-config' }),
    c('configmap with tls secret and extra secret', { [V('agent-configmap')]: 'web-agent-config', [V('tls-secret')]: 'vault-tls', [V('agent-extra-secret')]: 'extra', [V('service')]: 'https://vault:8200', [V('ca-cert')]: '/vault/tls/ca.crt' }),
    c('copy volume mounts', { ...secret, [V('agent-copy-volume-mounts')]: 'app' }, { containers: [app('app', { volumeMounts: [SA_MOUNT, { name: 'config', mountPath: '/etc/app' }] })], volumes: [SA_VOLUME, { name: 'config', configMap: { name: 'app-config' } }] }),
    c('json patch on sidecar', { ...secret, [V('agent-json-patch')]: '[{"op":"replace","path":"/resources/limits/cpu","value":"2"},{"op":"add","path":"/env/-","value":{"name":"EXTRA","value":"1"}}]' }),
    c('json patch on init container', { ...secret, [V('agent-init-json-patch')]: '[{"op":"add","path":"/env/-","value":{"name":"INIT_ONLY","value":"yes"}}]' }),
    c('json patch not JSON', { ...secret, [V('agent-json-patch')]: '[{"op":' }),
    c('json patch renaming the agent', { ...secret, [V('agent-json-patch')]: '[{"op":"replace","path":"/name","value":"other"}]' }, {}, { stricter: 'agent-json-patch may not change the container name' }),
    c('json patch making the agent privileged', { ...secret, [V('agent-json-patch')]: '[{"op":"add","path":"/securityContext/privileged","value":true}]' }, {}, { stricter: 'agent-json-patch may not make the agent privileged' }),
    c('service account token volume name', { ...secret, [V('agent-service-account-token-volume-name')]: 'vault-token' }, { volumes: [SA_VOLUME, { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 600 } }] } }] }),
    c('service account token volume mounted by app', { ...secret, [V('agent-service-account-token-volume-name')]: 'vault-token' }, { containers: [app('app', { volumeMounts: [SA_MOUNT, { name: 'vault-token', mountPath: '/var/run/secrets/vault' }] })], volumes: [SA_VOLUME, { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'jwt', audience: 'vault' } }] } }] }),
    c('no service account token', secret, { containers: [app('app', { volumeMounts: [] })], volumes: [], spec: { automountServiceAccountToken: false } }),
    c('inject false', { [V('agent-inject')]: 'false', ...secret }),
    c('inject invalid', { [V('agent-inject')]: 'yes', ...secret }),
    c('already injected', { ...secret, [V('agent-inject-status')]: 'injected' }),
    c('agent image annotation', { ...secret, [V('agent-image')]: 'registry.local/agent:2' }),
    c('opzero restart-on-rotate', { ...secret, 'opzero.io/restart-on-rotate': 'true' }),
    c('revoke grace invalid', { ...secret, [V('agent-revoke-grace')]: '-1' }),
    c('run as user invalid', { ...secret, [V('agent-run-as-user')]: 'nobody' }),
  ];
}
