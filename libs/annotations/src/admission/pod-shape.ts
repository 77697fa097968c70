/**
 * The fields of a pod the injector reads, checked for the types Kubernetes gives them before
 * anything walks them: a review the API server would never send (a null owner reference, a
 * string runAsUser, a numeric name) is denied naming the field instead of crashing the webhook.
 * null counts as absent, as Go's decoder reads it. Linear in the size of the pod.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === undefined || value === null;

/** Why `value` is not an optional object, or undefined. */
function objectProblem(value: unknown, path: string): string | undefined {
  return absent(value) || isObject(value) ? undefined : `${path} is not an object`;
}

/** Why the optional fields of `object` are not of their types, or undefined. */
function fieldsProblem(object: Json, path: string, types: Record<string, 'string' | 'boolean' | 'integer'>): string | undefined {
  for (const [field, type] of Object.entries(types)) {
    const value = object[field];
    if (absent(value)) continue;
    const ok = type === 'integer' ? typeof value === 'number' && Number.isSafeInteger(value) : typeof value === type;
    if (!ok) return `${path}.${field} is not ${type === 'integer' ? 'an integer' : `a ${type}`}`;
  }
  return undefined;
}

/** Why an optional list of objects is malformed (each item checked by `item`), or undefined. */
function listProblem(value: unknown, path: string, item: (entry: Json, path: string) => string | undefined): string | undefined {
  if (absent(value)) return undefined;
  if (!Array.isArray(value)) return `${path} is not a list`;
  for (let index = 0; index < value.length; index++) {
    const entry: unknown = value[index];
    const at = `${path}[${index}]`;
    if (!isObject(entry)) return `${at} is not an object`;
    const problem = item(entry, at);
    if (problem) return problem;
  }
  return undefined;
}

const named = (entry: Json, path: string) => (typeof entry['name'] === 'string' ? undefined : `${path}.name is not a string`);

function mountProblem(mount: Json, path: string): string | undefined {
  if (typeof mount['mountPath'] !== 'string') return `${path}.mountPath is not a string`;
  return named(mount, path) ?? fieldsProblem(mount, path, { readOnly: 'boolean', subPath: 'string', mountPropagation: 'string', subPathExpr: 'string', recursiveReadOnly: 'string' });
}

/** Why a container's fields the injector reads are not of their types, or undefined. */
export function containerProblem(container: Json, path: string): string | undefined {
  const securityContext = container['securityContext'];
  return (
    named(container, path) ??
    listProblem(container['volumeMounts'], `${path}.volumeMounts`, mountProblem) ??
    listProblem(container['env'], `${path}.env`, (variable, at) => named(variable, at) ?? fieldsProblem(variable, at, { value: 'string' })) ??
    objectProblem(securityContext, `${path}.securityContext`) ??
    (isObject(securityContext) ? fieldsProblem(securityContext, `${path}.securityContext`, { runAsUser: 'integer', runAsGroup: 'integer' }) : undefined)
  );
}

function volumeProblem(volume: Json, path: string): string | undefined {
  const projected = volume['projected'];
  const problem = named(volume, path) ?? objectProblem(projected, `${path}.projected`);
  if (problem || !isObject(projected)) return problem;
  return listProblem(projected['sources'], `${path}.projected.sources`, (source, at) => {
    const token = source['serviceAccountToken'];
    return objectProblem(token, `${at}.serviceAccountToken`) ?? (isObject(token) ? fieldsProblem(token, `${at}.serviceAccountToken`, { path: 'string' }) : undefined);
  });
}

/** Why the pod's fields that the injector reads are not of their Kubernetes types, or undefined. */
export function podShapeProblem(pod: Json): string | undefined {
  const { metadata, spec, status } = pod;
  const top = objectProblem(metadata, 'metadata') ?? objectProblem(spec, 'spec') ?? objectProblem(status, 'status');
  if (top) return top;
  if (isObject(metadata)) {
    const annotations = metadata['annotations'];
    const problem =
      fieldsProblem(metadata, 'metadata', { name: 'string', generateName: 'string', namespace: 'string' }) ??
      objectProblem(annotations, 'metadata.annotations') ??
      listProblem(metadata['ownerReferences'], 'metadata.ownerReferences', (owner, at) =>
        typeof owner['kind'] !== 'string' ? `${at}.kind is not a string` : (named(owner, at) ?? fieldsProblem(owner, at, { controller: 'boolean' })),
      );
    if (problem) return problem;
    if (isObject(annotations)) {
      for (const key in annotations) if (typeof annotations[key] !== 'string') return `metadata.annotations[${JSON.stringify(key.slice(0, 120))}] is not a string`;
    }
  }
  if (isObject(spec)) {
    const problem =
      fieldsProblem(spec, 'spec', { serviceAccountName: 'string', shareProcessNamespace: 'boolean' }) ??
      listProblem(spec['containers'], 'spec.containers', containerProblem) ??
      listProblem(spec['initContainers'], 'spec.initContainers', containerProblem) ??
      listProblem(spec['volumes'], 'spec.volumes', volumeProblem);
    if (problem) return problem;
  }
  if (isObject(status)) return fieldsProblem(status, 'status', { phase: 'string' });
  return undefined;
}
