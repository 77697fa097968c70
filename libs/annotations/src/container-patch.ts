import { applyPatch, deepClone, validate, type Operation } from 'fast-json-patch';
import type { AnnotationReader } from './annotation-reader';
import type { Container } from './pod-types';
import { canonicalQuantity } from './quantity';

/**
 * Paths an agent-json-patch may not touch. The name is how the injector, the agent-renderer
 * service and a re-admission recognise the agent; the rest would turn the hardened agent into a
 * privileged container, which a pod's annotations must not be able to do.
 */
const FORBIDDEN = [
  { path: '/name', why: 'the agent container name identifies it' },
  { path: '/securityContext/privileged', why: 'the agent must not run privileged' },
  { path: '/securityContext/allowPrivilegeEscalation', why: 'the agent must not gain privileges' },
  { path: '/securityContext/capabilities/add', why: 'the agent must not gain capabilities' },
];

/** core/v1 Container fields; a patch result with any other field is not a container. */
const CONTAINER_FIELDS = new Set([
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy',
  'restartPolicy', 'restartPolicyRules', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe',
  'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy',
  'securityContext', 'stdin', 'stdinOnce', 'tty',
]);

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Parses and checks a JSON patch annotation; records a problem and returns undefined if bad. */
export function readContainerPatch(reader: AnnotationReader, key: string): Operation[] | undefined {
  if (!reader.has(key)) return undefined;
  const raw = reader.string(key);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    reader.problem(key, raw, `is not JSON (${(error as Error).message}); give a JSON patch array, e.g. [{"op":"replace","path":"/image","value":"..."}]`);
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((op) => typeof op === 'object' && op !== null && !Array.isArray(op))) {
    reader.problem(key, raw, 'is not a JSON patch: give an array of operations, e.g. [{"op":"add","path":"/env/-","value":{...}}]');
    return undefined;
  }
  const operations = parsed as Operation[];
  for (const [index, op] of operations.entries()) {
    const record = op as unknown as Record<string, unknown>;
    if (typeof record['op'] !== 'string' || !OPS.has(record['op']) || typeof record['path'] !== 'string') {
      reader.problem(key, raw, `operation ${index} needs "op" (add, remove, replace, move, copy, test) and a "path"`);
      return undefined;
    }
    for (const field of ['path', 'from'] as const) {
      const target = record[field];
      if (typeof target !== 'string') continue;
      const hit = FORBIDDEN.find((f) => target === f.path || target.startsWith(`${f.path}/`) || f.path.startsWith(`${target}/`) || target === '');
      if (hit && !(field === 'from' && record['op'] === 'copy')) {
        reader.problem(key, raw, `operation ${index} touches ${target || 'the whole container'}, which a patch may not change (${hit.why})`);
        return undefined;
      }
    }
  }
  return operations;
}

/**
 * Applies a checked patch to an agent container. Returns the patched container, or a reason
 * when the patch does not apply or leaves something that is not a valid container.
 */
export function patchContainer(container: Container, patch: Operation[]): Container | string {
  const document = deepClone(container) as Container;
  const error = validate(patch, document);
  if (error) return `does not apply to the agent container: ${error.message.split('\n')[0]} (operation ${error.index})`;
  let result: unknown;
  try {
    result = applyPatch(document, patch, false, true).newDocument;
  } catch (cause) {
    return `does not apply to the agent container: ${(cause as Error).message.split('\n')[0]}`;
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'does not leave a container object';
  const patched = result as Container;
  const unknown = Object.keys(patched).filter((field) => !CONTAINER_FIELDS.has(field));
  if (unknown.length > 0) return `adds ${unknown.join(', ')}, which is not a container field`;
  if (patched.name !== container.name) return 'changes the agent container name';
  // Quantities are stored canonical by the API server (and by vault-k8s, through Go types).
  for (const group of ['limits', 'requests'] as const) {
    const list = patched.resources?.[group];
    if (!list) continue;
    for (const [resource, value] of Object.entries(list)) {
      const canonical = typeof value === 'string' ? canonicalQuantity(value) : undefined;
      if (canonical === undefined) return `sets resources.${group}.${resource} to ${JSON.stringify(value)}, which is not a resource quantity`;
      list[resource] = canonical;
    }
  }
  return patched;
}
