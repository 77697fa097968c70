import { NODE_NAME } from '../fact-keys';

/** A request parameter that was refused; `field` names it, the API answers 400 with both. */
export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'QueryError';
  }
}

/** Columns the list can be sorted by. */
export const SORT_KEYS = ['node', 'os', 'kernel', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** `path` (dotted, into the current facts) equals or contains `value`. */
export interface FactFilter {
  path: string[];
  op: 'equals' | 'contains';
  value: string;
}

/** A validated list request. */
export interface ListQuery {
  text?: string;
  os?: string;
  osVersion?: string;
  kernel?: string;
  package?: { name: string; version?: string };
  facts: FactFilter[];
  changedWithinDays?: number;
  sort: SortKey;
  descending: boolean;
  limit: number;
  cursor?: ListCursor;
}

/** Where the previous page ended: the last row's sort value and node. */
export interface ListCursor {
  value: string;
  node: string;
}

export const MAX_LIMIT = 500;
const MAX_TEXT = 200;
const MAX_FACT_FILTERS = 8;
const MAX_PATH_SEGMENTS = 8;
const MAX_CURSOR = 1024;
const PATH_SEGMENT = /^[A-Za-z0-9_:@/+-]{1,128}$/;
const KNOWN = new Set(['q', 'os', 'os_version', 'kernel', 'package', 'fact', 'changed_within_days', 'sort', 'limit', 'cursor', 'format']);

type Raw = Record<string, unknown>;

/**
 * Parses the list's query string (already split by the HTTP layer into strings or string
 * arrays). Every check is on bounded lengths with plain parsing, so it is linear in the input.
 */
export function parseListQuery(raw: Raw): ListQuery {
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw new QueryError(key.slice(0, 64), `unknown parameter (known: ${[...KNOWN].join(', ')})`);
  const query: ListQuery = { facts: [], sort: 'node', descending: false, limit: 50 };
  const text = single(raw, 'q', MAX_TEXT);
  if (text) query.text = text;
  for (const [field, key] of [['os', 'os'], ['os_version', 'osVersion'], ['kernel', 'kernel']] as const) {
    const value = single(raw, field, MAX_TEXT);
    if (value) query[key] = value;
  }
  const pkg = single(raw, 'package', MAX_TEXT);
  if (pkg) query.package = parsePackage(pkg);
  const facts = many(raw, 'fact', MAX_FACT_FILTERS, 2 * MAX_TEXT);
  query.facts = facts.map(parseFactFilter);
  const days = single(raw, 'changed_within_days', 8);
  if (days !== undefined) query.changedWithinDays = integer('changed_within_days', days, 1, 3650);
  const sort = single(raw, 'sort', 16);
  if (sort) {
    const descending = sort.startsWith('-');
    const key = descending ? sort.slice(1) : sort;
    if (!(SORT_KEYS as readonly string[]).includes(key)) throw new QueryError('sort', `must be one of ${SORT_KEYS.join(', ')}, optionally prefixed with - for descending`);
    query.sort = key as SortKey;
    query.descending = descending;
  }
  const limit = single(raw, 'limit', 8);
  if (limit !== undefined) query.limit = integer('limit', limit, 1, MAX_LIMIT);
  const cursor = single(raw, 'cursor', MAX_CURSOR);
  if (cursor) query.cursor = decodeCursor(cursor);
  return query;
}

/** The opaque cursor for the page after a row. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.node])).toString('base64url');
}

function decodeCursor(text: string): ListCursor {
  const bad = new QueryError('cursor', 'is not a cursor returned by this API (nextCursor)');
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || !NODE_NAME.test(parsed[1])) throw bad;
  return { value: parsed[0], node: parsed[1] };
}

/** `NAME` or `NAME@VERSION` (Debian and RPM package names and versions). */
function parsePackage(text: string): { name: string; version?: string } {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const version = at < 0 ? undefined : text.slice(at + 1);
  if (!/^[A-Za-z0-9][A-Za-z0-9.+_-]*$/.test(name)) throw new QueryError('package', 'must be NAME or NAME@VERSION, NAME of letters, digits and . + _ -');
  if (version !== undefined && !/^[A-Za-z0-9.+:~_-]+$/.test(version)) throw new QueryError('package', 'the VERSION after @ must be letters, digits and . + : ~ _ -');
  return version === undefined ? { name } : { name, version };
}

/** `path=value` (equals) or `path~value` (contains, case-insensitive); path is dotted: `cpu.model_name`. */
function parseFactFilter(text: string): FactFilter {
  const eq = text.indexOf('=');
  const tilde = text.indexOf('~');
  const split = [eq, tilde].filter((i) => i > 0).sort((a, b) => a - b)[0];
  if (split === undefined) throw new QueryError('fact', 'must be PATH=VALUE (equals) or PATH~VALUE (contains), e.g. cpu.model_name~Xeon');
  const path = text.slice(0, split).split('.');
  if (path.length > MAX_PATH_SEGMENTS || !path.every((segment) => PATH_SEGMENT.test(segment))) {
    throw new QueryError('fact', `the path must be at most ${MAX_PATH_SEGMENTS} dot-separated names of letters, digits and _ : @ / + -`);
  }
  return { path, op: text[split] === '=' ? 'equals' : 'contains', value: text.slice(split + 1) };
}

function single(raw: Raw, field: string, maxLength: number): string | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QueryError(field, 'must be given once');
  if (value.length > maxLength) throw new QueryError(field, `is longer than ${maxLength} characters`);
  return value;
}

function many(raw: Raw, field: string, maxCount: number, maxLength: number): string[] {
  const value = raw[field];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (values.length > maxCount) throw new QueryError(field, `at most ${maxCount} may be given`);
  for (const item of values) {
    if (typeof item !== 'string') throw new QueryError(field, 'must be text');
    if (item.length > maxLength) throw new QueryError(field, `is longer than ${maxLength} characters`);
  }
  return values as string[];
}

/** A decimal integer from `min` to `max`. */
export function integer(field: string, text: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new QueryError(field, `must be a whole number from ${min} to ${max}`);
  return value;
}
