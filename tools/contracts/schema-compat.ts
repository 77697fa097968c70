/** A JSON Schema object as committed in docs/events (draft 2020-12, no $ref). */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * Keywords that only describe: changing them never changes which messages validate. `x-*`
 * extension keywords are compared separately (the topic and type must not move).
 */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default', 'deprecated']);

/** Numeric and size bounds: the direction that accepts fewer messages, for the message text. */
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

/** Keywords compared by the walk itself rather than by value. */
const WALKED = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items']);

const isObject = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const where = (path: string): string => path || '(root)';

/** The JSON types a schema admits; `integer` is implied by `number`. Undefined: any type. */
function typesOf(schema: JsonSchema): Set<string> | undefined {
  const type = schema['type'];
  if (type === undefined) return undefined;
  const types = new Set(Array.isArray(type) ? (type as string[]) : [type as string]);
  if (types.has('number')) types.add('integer');
  return types;
}

/** The values an enum or const allows, as JSON text; undefined when unrestricted. */
function allowedValues(schema: JsonSchema): Set<string> | undefined {
  if ('const' in schema) return new Set([JSON.stringify(schema['const'])]);
  if (Array.isArray(schema['enum'])) return new Set((schema['enum'] as unknown[]).map((value) => JSON.stringify(value)));
  return undefined;
}

const difference = <T>(a: Set<T>, b: Set<T>): T[] => [...a].filter((value) => !b.has(value));

/**
 * The reasons a message schema change is incompatible, empty when compatible. Messages stay in
 * Kafka for the retention period and consumers of other teams validate with the schema they
 * downloaded, so a change must keep BOTH readable: every message valid before is valid after
 * (no new required property, no narrowed type, enum or bound, no additionalProperties
 * tightened), every message valid after is valid before (no widened type, enum or bound, no new
 * property where additionalProperties was false), and no property consumers read disappears
 * or stops being required (a rename is a removal). Only annotations may change freely; anything
 * else needs a new topic version (`.v2`). Composition keywords (anyOf, oneOf, ...) are compared
 * as a whole: any change there is reported rather than guessed at.
 */
export function schemaIncompatibilities(before: JsonSchema, after: JsonSchema, path = ''): string[] {
  const problems: string[] = [];
  const at = where(path);

  const typesBefore = typesOf(before);
  const typesAfter = typesOf(after);
  if (typesBefore && !typesAfter) problems.push(`${at}: type ${[...typesBefore].join('|')} widened to any type`);
  if (!typesBefore && typesAfter) problems.push(`${at}: type narrowed from any type to ${[...typesAfter].join('|')}`);
  if (typesBefore && typesAfter) {
    const removed = difference(typesBefore, typesAfter);
    const added = difference(typesAfter, typesBefore);
    if (removed.length > 0) problems.push(`${at}: type narrowed, ${removed.join(', ')} no longer allowed`);
    if (added.length > 0) problems.push(`${at}: type widened, ${added.join(', ')} now allowed`);
  }

  const valuesBefore = allowedValues(before);
  const valuesAfter = allowedValues(after);
  if (valuesBefore && !valuesAfter) problems.push(`${at}: enum removed, any value now allowed`);
  if (!valuesBefore && valuesAfter) problems.push(`${at}: enum added, values now restricted`);
  if (valuesBefore && valuesAfter) {
    const removed = difference(valuesBefore, valuesAfter);
    const added = difference(valuesAfter, valuesBefore);
    if (removed.length > 0) problems.push(`${at}: enum narrowed, ${removed.join(', ')} removed`);
    if (added.length > 0) problems.push(`${at}: enum widened, ${added.join(', ')} added`);
  }

  problems.push(...objectIncompatibilities(before, after, path));

  if (isObject(before['items']) || isObject(after['items'])) {
    if (!isObject(before['items']) || !isObject(after['items'])) problems.push(`${at}: items schema added or removed`);
    else problems.push(...schemaIncompatibilities(before['items'], after['items'], `${path}[]`));
  }

  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (WALKED.has(keyword) || ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) continue;
    if (same(before[keyword], after[keyword])) continue;
    problems.push(`${at}: ${keyword} ${describeChange(keyword, before[keyword], after[keyword])}`);
  }
  for (const keyword of ['x-opzero-topic', 'x-cloudevents-type']) {
    if (!same(before[keyword], after[keyword])) problems.push(`${at}: ${keyword} changed from ${String(before[keyword])} to ${String(after[keyword])}`);
  }
  return problems;
}

function objectIncompatibilities(before: JsonSchema, after: JsonSchema, path: string): string[] {
  const problems: string[] = [];
  const at = where(path);
  const propsBefore = isObject(before['properties']) ? before['properties'] : {};
  const propsAfter = isObject(after['properties']) ? after['properties'] : {};
  const requiredBefore = new Set((before['required'] as string[] | undefined) ?? []);
  const requiredAfter = new Set((after['required'] as string[] | undefined) ?? []);
  const closedBefore = before['additionalProperties'] === false;

  for (const [name, schema] of Object.entries(propsBefore)) {
    const field = path ? `${path}.${name}` : name;
    const next = propsAfter[name];
    if (next === undefined) {
      problems.push(`${field}: property removed (or renamed)`);
      continue;
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) problems.push(`${field}: no longer required`);
    if (!requiredBefore.has(name) && requiredAfter.has(name)) problems.push(`${field}: now required`);
    if (isObject(schema) && isObject(next)) problems.push(...schemaIncompatibilities(schema, next, field));
  }
  for (const name of Object.keys(propsAfter)) {
    if (name in propsBefore) continue;
    const field = path ? `${path}.${name}` : name;
    if (requiredAfter.has(name)) problems.push(`${field}: new required property`);
    else if (closedBefore) problems.push(`${field}: new property, rejected by the old schema (additionalProperties: false)`);
  }
  for (const name of difference(requiredAfter, requiredBefore)) {
    if (!(name in propsAfter) && !(name in propsBefore)) problems.push(`${path ? `${path}.${name}` : name}: new required property`);
  }

  const additionalBefore = before['additionalProperties'];
  const additionalAfter = after['additionalProperties'];
  if (!same(additionalBefore, additionalAfter)) {
    const open = (value: unknown) => value === undefined || value === true;
    if (open(additionalBefore) && !open(additionalAfter)) problems.push(`${at}: additionalProperties tightened`);
    else if (!open(additionalBefore) && open(additionalAfter)) problems.push(`${at}: additionalProperties loosened, the old schema rejects the extra properties`);
    else problems.push(`${at}: additionalProperties changed`);
  }
  return problems;
}

function describeChange(keyword: string, before: unknown, after: unknown): string {
  const text = (value: unknown) => (value === undefined ? 'none' : JSON.stringify(value));
  let direction = 'changed';
  if (typeof before === 'number' && typeof after === 'number') {
    const raised = after > before;
    if (LOWER_BOUNDS.has(keyword)) direction = raised ? 'narrowed' : 'widened';
    if (UPPER_BOUNDS.has(keyword)) direction = raised ? 'widened' : 'narrowed';
  } else if (before === undefined) direction = 'added (narrowed)';
  else if (after === undefined) direction = 'removed (widened)';
  return `${direction} from ${text(before)} to ${text(after)}`;
}
