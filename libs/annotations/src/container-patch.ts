import { applyOperation, deepClone, type Operation } from 'fast-json-patch';
import type { AnnotationReader } from './annotation-reader';
import type { Container } from './pod-types';
import { jsonValueProblem, MAX_JSON_DEPTH, PROTOTYPE_KEYS } from './json-limits';
import { canonicalQuantity } from './quantity';

/** core/v1 Container fields, spelled exactly; a patch result with any other field is not a container. */
export const CONTAINER_FIELDS = new Set([
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy',
  'restartPolicy', 'restartPolicyRules', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe',
  'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy',
  'securityContext', 'stdin', 'stdinOnce', 'tty',
]);

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
/** Most operations in one agent patch; real ones have a handful. */
const MAX_OPERATIONS = 128;
/** How much a patch's copies may grow the container beyond twice its size (JSON characters). */
const MAX_COPY_GROWTH = 256 * 1024;

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
    const problem = pointerProblem(record['path'] as string) ?? (typeof record['from'] === 'string' ? pointerProblem(record['from']) : undefined) ?? jsonValueProblem(record['value']);
    if (problem) {
      reader.problem(key, raw, `operation ${index} ${problem}`);
      return undefined;
    }
  }
  return operations;
}

/** Why a JSON pointer is unusable on a container, or undefined (what it does is checked on the result). */
function pointerProblem(pointer: string): string | undefined {
  if (pointer === '') return 'targets the whole container; patch its fields instead';
  if (!pointer.startsWith('/')) return `has path ${JSON.stringify(pointer.slice(0, 80))}, which is not a JSON pointer (starts with "/")`;
  for (const segment of pointer.slice(1).split('/')) {
    const decoded = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    if (PROTOTYPE_KEYS.has(decoded)) return `has path segment ${JSON.stringify(decoded)}, which is not a container field`;
  }
  return undefined;
}

/**
 * Applies a checked patch to an agent container. Returns the patched container, or a reason
 * when the patch does not apply or leaves something that is not a valid container.
 */
export function patchContainer(container: Container, patch: Operation[]): Container | string {
  if (patch.length > MAX_OPERATIONS) return `has ${patch.length} operations; at most ${MAX_OPERATIONS}`;
  let result: unknown = deepClone(container);
  const sizeLimit = 2 * JSON.stringify(container).length + MAX_COPY_GROWTH;
  for (const [index, operation] of patch.entries()) {
    try {
      result = applyOperation(result, operation, true, true, true, index).newDocument;
    } catch (cause) {
      return `does not apply to the agent container: ${(cause as Error).message.split('\n')[0]} (operation ${index})`;
    }
    // copy is the one operation that grows the container by more than its own text: repeated,
    // it doubles it each time. Bound what it built before the next operation runs.
    if (operation.op === 'copy') {
      const problem = jsonValueProblem(result, MAX_JSON_DEPTH * 2) ?? (JSON.stringify(result).length > sizeLimit ? `grows the container beyond ${sizeLimit} characters` : undefined);
      if (problem) return `operation ${index} ${problem}`;
    }
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'does not leave a container object';
  const patched = result as Container;
  // Quantities are stored canonical by the API server (and by vault-k8s, through Go types).
  const resources: unknown = patched.resources;
  if (resources === undefined || resources === null) return patched;
  if (typeof resources !== 'object' || Array.isArray(resources)) return 'sets resources to something that is not an object';
  for (const group of ['limits', 'requests'] as const) {
    const list: unknown = patched.resources?.[group];
    if (list === undefined || list === null) continue;
    if (typeof list !== 'object' || Array.isArray(list)) return `sets resources.${group} to something that is not an object`;
    const quantities = list as Record<string, unknown>;
    for (const [resource, value] of Object.entries(quantities)) {
      const canonical = typeof value === 'string' && value.length <= 64 ? canonicalQuantity(value) : undefined;
      if (canonical === undefined) return `sets resources.${group}.${resource} to ${JSON.stringify(String(value).slice(0, 80))}, which is not a resource quantity`;
      if (canonical.startsWith('-')) return `sets resources.${group}.${resource} to ${JSON.stringify(value)}, which is negative`;
      quantities[resource] = canonical;
    }
  }
  return patched;
}
