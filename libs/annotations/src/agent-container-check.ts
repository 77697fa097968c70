import { isDeepStrictEqual } from 'node:util';
import type { AgentSpec } from './agent-spec';
import { containerProblem } from './admission/pod-shape';
import { CONTAINER_FIELDS } from './container-patch';
import { jsonValueProblem } from './json-limits';
import type { Container } from './pod-types';

/** core/v1 SecurityContext and Capabilities fields, spelled exactly (`Privileged` is not one). */
const SECURITY_CONTEXT_FIELDS = new Set([
  'capabilities', 'privileged', 'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot',
  'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount', 'seccompProfile', 'appArmorProfile',
]);
const CAPABILITIES_FIELDS = new Set(['add', 'drop']);
/** Kubernetes' range for user and group ids. */
export const MAX_ID = 2147483647;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const unknownField = (object: Record<string, unknown>, known: ReadonlySet<string>) => Object.keys(object).find((field) => !known.has(field));

/** Where the agent may write and how it must run, for the final-container check. */
export interface AgentRules {
  agent: AgentSpec;
  /** Mount paths of the secrets volumes: every template destination lies inside one. */
  secretMounts: string[];
  /** The agent's home volume path (token sink, pid file). */
  home: string;
}

/**
 * Why an agent container, as it is after its JSON patch, is not one the injector may admit;
 * undefined when it is. Checks the result, not the patch, so no sequence of operations gets
 * around it: fields spelled as Kubernetes spells them, no privilege, uid/gid 0 only when asked
 * for explicitly, the injector's command and arguments, and a configuration that writes only
 * inside the secrets volumes.
 */
export function agentContainerProblem(final: Container, built: Container, rules: AgentRules): string | undefined {
  const extra = unknownField(final, CONTAINER_FIELDS);
  if (extra !== undefined) return `leaves field ${JSON.stringify(extra)}, which is not a container field (names are case-sensitive)`;
  if (final.name !== built.name) return 'changes the agent container name, which identifies it';
  const shape = containerProblem(final, 'container');
  if (shape) return `results in: ${shape}`;
  if (!isDeepStrictEqual(final.command, built.command)) return 'changes the agent command, which the injector sets';
  if (!isDeepStrictEqual(final.args, built.args)) return 'changes the agent arguments, which the injector sets';
  return securityProblem(final.securityContext, rules.agent) ?? configProblem(final, rules);
}

function securityProblem(context: unknown, agent: AgentSpec): string | undefined {
  if (context === undefined || context === null) {
    return agent.setSecurityContext ? 'removes the securityContext the injector sets (the agent would run as the image user)' : undefined;
  }
  if (!isObject(context)) return 'leaves a securityContext that is not an object';
  const extra = unknownField(context, SECURITY_CONTEXT_FIELDS);
  if (extra !== undefined) return `leaves securityContext.${extra}, which is not a securityContext field (names are case-sensitive)`;
  if (context['privileged'] === true) return 'makes the agent privileged';
  if (context['procMount'] === 'Unmasked') return 'unmasks /proc for the agent';
  if (isObject(context['windowsOptions']) && context['windowsOptions']['hostProcess'] === true) return 'makes the agent a Windows host process';
  if (context['allowPrivilegeEscalation'] === true || (agent.setSecurityContext && context['allowPrivilegeEscalation'] !== false)) {
    return 'lets the agent gain privileges (securityContext.allowPrivilegeEscalation must stay false)';
  }
  const capabilities = context['capabilities'];
  if (capabilities !== undefined && capabilities !== null) {
    if (!isObject(capabilities)) return 'leaves securityContext.capabilities that is not an object';
    const field = unknownField(capabilities, CAPABILITIES_FIELDS);
    if (field !== undefined) return `leaves securityContext.capabilities.${field}, which is not a capabilities field`;
    const add = capabilities['add'];
    if (add !== undefined && add !== null && !(Array.isArray(add) && add.length === 0)) return 'adds capabilities to the agent';
  }
  if (agent.setSecurityContext) {
    const drop = isObject(capabilities) ? capabilities['drop'] : undefined;
    if (!Array.isArray(drop) || !drop.some((c) => typeof c === 'string' && c.toUpperCase() === 'ALL')) return 'stops dropping ALL capabilities';
  }
  return idProblem(context, 'runAsUser', agent.runAsUser, agent.setSecurityContext) ?? idProblem(context, 'runAsGroup', agent.runAsGroup, agent.setSecurityContext);
}

/** A user or group id: within Kubernetes' range, and 0 only when the annotations asked for exactly 0. */
function idProblem(context: Record<string, unknown>, field: 'runAsUser' | 'runAsGroup', asked: bigint, required: boolean): string | undefined {
  const id = context[field];
  if (id === undefined || id === null) return required ? `removes securityContext.${field} (the agent would run with the image's id)` : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) return `sets securityContext.${field} to ${JSON.stringify(id)}, which is not an id from 0 to ${MAX_ID}`;
  if (id === 0 && asked !== 0n) return `sets securityContext.${field} to 0 (root) without the run-as annotation asking for 0`;
  return undefined;
}

/** The configuration in VAULT_CONFIG, when present, writes only inside the secrets volumes. */
function configProblem(container: Container, rules: AgentRules): string | undefined {
  const entries = (container.env ?? []).filter((variable) => variable.name === 'VAULT_CONFIG');
  if (entries.length === 0) return undefined;
  if (entries.length > 1) return 'sets VAULT_CONFIG more than once';
  const entry = entries[0]!;
  if (entry.valueFrom !== undefined || typeof entry.value !== 'string') return 'takes VAULT_CONFIG from elsewhere; only the injector sets it';
  let config: unknown;
  try {
    config = JSON.parse(Buffer.from(entry.value, 'base64').toString('utf8'));
  } catch {
    return 'sets VAULT_CONFIG to something that is not base64 of a JSON agent configuration';
  }
  if (!isObject(config) || jsonValueProblem(config) !== undefined) return 'sets VAULT_CONFIG to something that is not an agent configuration';
  const inside = (path: unknown, roots: string[]) =>
    typeof path === 'string' && isCleanAbsolute(path) && roots.some((root) => path.startsWith(`${root.replace(/\/+$/, '')}/`));
  const templates = config['template'];
  if (templates !== undefined) {
    if (!Array.isArray(templates)) return 'sets a VAULT_CONFIG template list that is not a list';
    for (const template of templates) {
      const destination = isObject(template) ? template['destination'] : undefined;
      if (!inside(destination, rules.secretMounts)) {
        return `sets a VAULT_CONFIG template destination ${JSON.stringify(String(destination).slice(0, 80))} outside the secrets volumes (${rules.secretMounts.join(', ')})`;
      }
    }
  }
  const autoAuth = config['auto_auth'];
  const sinks = isObject(autoAuth) ? autoAuth['sink'] : undefined;
  for (const sink of Array.isArray(sinks) ? sinks : []) {
    const path = isObject(sink) && isObject(sink['config']) ? sink['config']['path'] : undefined;
    if (!inside(path, [rules.home, ...rules.secretMounts])) return `sets a VAULT_CONFIG token sink ${JSON.stringify(String(path).slice(0, 80))} outside the agent's volumes`;
  }
  const pid = config['pid_file'];
  if (pid !== undefined && !inside(pid, [rules.home])) return `sets VAULT_CONFIG pid_file outside ${rules.home}`;
  return undefined;
}

/** An absolute path without `.` or `..` segments or NUL. */
function isCleanAbsolute(path: string): boolean {
  if (!path.startsWith('/') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '.' && segment !== '..');
}
