import type { AgentSpec } from './agent-spec';
import { buildAgentConfig, encodeAgentConfig, TOKEN_FILE } from './agent-config';
import * as k from './annotation-keys';
import { AnnotationError } from './annotation-error';
import { agentContainerProblem } from './agent-container-check';
import { patchContainer } from './container-patch';
import type { InjectorSettings } from './injector-settings';
import type { Container, EnvVar, SecurityContext, Volume, VolumeMount } from './pod-types';

/** Names of what the injector adds; the same as vault-k8s so tooling that looks for them works. */
export const INIT_CONTAINER_NAME = 'vault-agent-init';
export const SIDECAR_CONTAINER_NAME = 'vault-agent';
export const SECRETS_VOLUME_NAME = 'vault-secrets';
const HOME_INIT = 'home-init';
const HOME_SIDECAR = 'home-sidecar';
const HOME_PATH = '/home/vault';
const CONFIG_VOLUME = 'vault-config';
const CONFIG_PATH = '/vault/configs';
const TLS_VOLUME = 'vault-tls-secrets';
const TLS_PATH = '/vault/tls';
const EXTRA_VOLUME = 'extra-secrets';
const EXTRA_PATH = '/vault/custom';

const memoryVolume = (name: string): Volume => ({ name, emptyDir: { medium: 'Memory' } });

/** Secret mount paths other than the main secrets volume's, in first-seen order. */
function customMountPaths(agent: AgentSpec): string[] {
  const main = agent.annotations[k.SECRET_VOLUME_PATH];
  const paths = new Set<string>();
  for (const secret of agent.secrets) if (secret.mountPath !== main) paths.add(secret.mountPath);
  return [...paths];
}

/** Volumes the pod gets, in the order vault-k8s adds them. */
export function agentVolumes(agent: AgentSpec): Volume[] {
  const volumes: Volume[] = [];
  if (agent.prePopulate) volumes.push(memoryVolume(HOME_INIT));
  if (!agent.prePopulateOnly) volumes.push(memoryVolume(HOME_SIDECAR));
  volumes.push(memoryVolume(SECRETS_VOLUME_NAME));
  customMountPaths(agent).forEach((_, index) => volumes.push(memoryVolume(`${SECRETS_VOLUME_NAME}-custom-${index}`)));
  if (agent.configMapName) volumes.push({ name: CONFIG_VOLUME, configMap: { name: agent.configMapName } });
  if (agent.extraSecret) volumes.push({ name: EXTRA_VOLUME, secret: { secretName: agent.extraSecret } });
  if (agent.vault.tlsSecret) volumes.push({ name: TLS_VOLUME, secret: { secretName: agent.vault.tlsSecret } });
  return volumes;
}

/** The secrets mounts every selected container (and the agent) gets. */
export function secretsMounts(agent: AgentSpec): VolumeMount[] {
  const mounts: VolumeMount[] = [{ name: SECRETS_VOLUME_NAME, mountPath: agent.annotations[k.SECRET_VOLUME_PATH]! }];
  customMountPaths(agent).forEach((mountPath, index) => mounts.push({ name: `${SECRETS_VOLUME_NAME}-custom-${index}`, mountPath }));
  return mounts;
}

function env(agent: AgentSpec, settings: InjectorSettings, init: boolean): EnvVar[] {
  const { vault } = agent;
  const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const envs: EnvVar[] = [fieldRef('NAMESPACE', 'metadata.namespace'), fieldRef('HOST_IP', 'status.hostIP'), fieldRef('POD_IP', 'status.podIP')];
  const add = (name: string, value: string) => {
    if (value !== '') envs.push({ name, value });
  };
  add('GOMAXPROCS', vault.goMaxProcs);
  add('VAULT_CLIENT_TIMEOUT', vault.clientTimeout);
  add('VAULT_MAX_RETRIES', vault.clientMaxRetries);
  add('VAULT_LOG_LEVEL', vault.logLevel);
  add('VAULT_LOG_FORMAT', vault.logFormat);
  add('HTTPS_PROXY', vault.proxyAddress);
  if (agent.configMapName === '') {
    envs.push({ name: 'VAULT_CONFIG', value: encodeAgentConfig(buildAgentConfig(agent, init)) });
  } else {
    // The ConfigMap's config may lack a vault stanza; these give the agent the connection.
    add('VAULT_ADDR', vault.address);
    add('VAULT_CACERT', vault.caCert);
    add('VAULT_CAPATH', vault.caKey);
    add('VAULT_CLIENT_CERT', vault.clientCert);
    add('VAULT_CLIENT_KEY', vault.clientKey);
    envs.push({ name: 'VAULT_SKIP_VERIFY', value: String(vault.tlsSkipVerify) });
    add('VAULT_TLS_SERVER_NAME', vault.tlsServerName);
  }
  if (vault.caCertBytes !== '') envs.push({ name: 'VAULT_CACERT_BYTES', value: decodeIfBase64(vault.caCertBytes) });
  // Only a sidecar lives long enough to be told of a rotation; the init container renders once.
  if (!init && settings.rotationAddress !== '') envs.push({ name: 'OPZERO_ROTATION_ADDRESS', value: settings.rotationAddress });
  if (vault.authType === 'aws') envs.push(...awsEnv(agent));
  return envs;
}

function awsEnv(agent: AgentSpec): EnvVar[] {
  const found = new Map<string, string>();
  for (const container of agent.pod.spec?.containers ?? []) {
    for (const variable of container.env ?? []) {
      if (['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_DEFAULT_REGION', 'AWS_REGION'].includes(variable.name) && !found.has(variable.name)) {
        found.set(variable.name, variable.value ?? '');
      }
    }
  }
  const envs: EnvVar[] = [...found].map(([name, value]) => (value === '' ? { name } : { name, value }));
  const region = agent.vault.authConfig['region'];
  if (typeof region === 'string') envs.push(region === '' ? { name: 'AWS_REGION' } : { name: 'AWS_REGION', value: region });
  return envs;
}

function decodeIfBase64(value: string): string {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, 'base64').toString('latin1');
  return value;
}

function securityContext(agent: AgentSpec): SecurityContext {
  return {
    capabilities: { drop: ['ALL'] },
    runAsUser: Number(agent.runAsUser),
    runAsGroup: Number(agent.runAsGroup),
    runAsNonRoot: !(agent.runAsUser === 0n || agent.runAsGroup === 0n),
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
  };
}

function copiedMounts(agent: AgentSpec): VolumeMount[] {
  if (agent.copyVolumeMounts === '') return [];
  const spec = agent.pod.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
    .filter((c) => c.name === agent.copyVolumeMounts)
    .flatMap((c) => (c.volumeMounts ?? []).filter((m) => !m.mountPath.toLowerCase().includes('serviceaccount')))
    .map(copyMount);
}

/** core/v1 VolumeMount fields; the pod shape check has typed them as Kubernetes does. */
const MOUNT_FIELDS = ['name', 'mountPath', 'readOnly', 'recursiveReadOnly', 'mountPropagation', 'subPath', 'subPathExpr'] as const;

/**
 * A copy of a mount with its known fields only, as vault-k8s copies the Go struct: anything else
 * a review carries there (however deeply nested) is not copied into the agent.
 */
function copyMount(mount: VolumeMount): VolumeMount {
  const copy: Record<string, unknown> = {};
  for (const field of MOUNT_FIELDS) if (mount[field] !== undefined && mount[field] !== null) copy[field] = mount[field];
  return copy as VolumeMount;
}

function agentContainer(agent: AgentSpec, settings: InjectorSettings, init: boolean): Container {
  const sa = agent.serviceAccountTokenVolume;
  const home: VolumeMount = { name: init ? HOME_INIT : HOME_SIDECAR, mountPath: HOME_PATH };
  const token: VolumeMount = { name: sa.name, mountPath: sa.mountPath, readOnly: true };
  const mounts: VolumeMount[] = init ? [home, token] : [token, home];
  if (agent.awsIamToken) mounts.push({ ...agent.awsIamToken, readOnly: true });
  mounts.push(...secretsMounts(agent));
  if (agent.extraSecret) mounts.push({ name: EXTRA_VOLUME, mountPath: EXTRA_PATH, readOnly: true });
  mounts.push(...copiedMounts(agent));
  const args = ['agent'];
  if (agent.configMapName) {
    mounts.push({ name: CONFIG_VOLUME, mountPath: CONFIG_PATH, readOnly: true });
    args.push(`-config=${CONFIG_PATH}/${init ? 'config-init.hcl' : 'config.hcl'}`, `-token-file=${TOKEN_FILE}`);
  }
  if (agent.vault.tlsSecret) mounts.push({ name: TLS_VOLUME, mountPath: TLS_PATH, readOnly: true });
  const resources: Container['resources'] = {};
  if (Object.keys(agent.limits).length > 0) resources.limits = sortedCopy(agent.limits);
  if (Object.keys(agent.requests).length > 0) resources.requests = sortedCopy(agent.requests);
  const container: Container = {
    name: init ? INIT_CONTAINER_NAME : SIDECAR_CONTAINER_NAME,
    image: agent.image,
    command: [...settings.agentCommand],
    args,
    env: env(agent, settings, init),
    resources,
    volumeMounts: mounts,
  };
  if (!init) container.lifecycle = lifecycle(agent, settings);
  if (agent.setSecurityContext) container.securityContext = securityContext(agent);
  const patch = init ? agent.initJsonPatch : agent.jsonPatch;
  if (!patch) return container;
  const key = init ? k.AGENT_INIT_JSON_PATCH : k.AGENT_JSON_PATCH;
  const patched = patchContainer(container, patch);
  const problem =
    typeof patched === 'string'
      ? patched
      : agentContainerProblem(patched, container, { agent, secretMounts: secretsMounts(agent).map((m) => m.mountPath), home: HOME_PATH });
  if (problem !== undefined) throw new AnnotationError([{ annotation: key, value: agent.annotations[key], message: problem }]);
  return patched as Container;
}

function sortedCopy(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The sidecar's pre-stop hook revokes its token when asked to; otherwise an empty lifecycle, as
 * vault-k8s sets. vault-k8s runs `sleep N && vault token revoke -self` through /bin/sh; the
 * agent-renderer image has neither, so the agent itself sleeps and revokes (same flags).
 */
function lifecycle(agent: AgentSpec, settings: InjectorSettings): NonNullable<Container['lifecycle']> {
  if (!agent.revokeOnShutdown) return {};
  const flags = [`-address=${agent.vault.address}`];
  if (agent.vault.caCert) flags.push(`-ca-cert=${agent.vault.caCert}`);
  if (agent.vault.clientCert) flags.push(`-client-cert=${agent.vault.clientCert}`);
  if (agent.vault.clientKey) flags.push(`-client-key=${agent.vault.clientKey}`);
  flags.push('-self');
  return { preStop: { exec: { command: [...settings.agentCommand, 'revoke-token', `-sleep=${agent.revokeGrace}`, ...flags] } } };
}

/** The init container (when pre-populating). */
export function initContainer(agent: AgentSpec, settings: InjectorSettings): Container {
  return agentContainer(agent, settings, true);
}

/** The sidecar container (unless pre-populate-only). */
export function sidecarContainer(agent: AgentSpec, settings: InjectorSettings): Container {
  return agentContainer(agent, settings, false);
}

