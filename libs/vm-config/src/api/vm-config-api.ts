import { NODE_NAME } from '../fact-keys';
import type { FactStore, NodeSummary } from '../store/fact-store';
import { integer, parseListQuery, QueryError } from '../store/list-query';
import { authProblem, type ApiAuthOptions } from './api-auth';
import { toCsv } from './csv';
import { OPENAPI_DOCUMENT } from './openapi';

/** A GET as the HTTP layer hands it over: path without the query, the parsed query, lower-case headers. */
export interface ApiRequest {
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** What to answer. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Where the API is served. */
export const API_PREFIX = '/v1/vm-config';

const MAX_EXPORT_ROWS = 100_000;
const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * The VM Config list's read API, framework-free: list with search, filters, sort and cursor
 * pages; a node's facts; its history, one version, the diff of two; CSV and JSON export; the
 * OpenAPI document. Bad input answers 400 naming the field, a store failure 503; nothing 500.
 */
export class VmConfigApi {
  constructor(
    private readonly store: FactStore | null,
    private readonly auth: ApiAuthOptions,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  async handle(request: ApiRequest): Promise<ApiResponse> {
    const path = request.path.startsWith(API_PREFIX) ? request.path.slice(API_PREFIX.length) : null;
    if (path === '/openapi.json') return json(200, OPENAPI_DOCUMENT);
    const refused = authProblem(this.auth, request.headers);
    if (refused) return { ...json(401, { statusCode: 401, error: 'Unauthorized', message: refused }), headers: { ...jsonHeaders, 'www-authenticate': 'Bearer' } };
    if (!this.store) return json(503, { statusCode: 503, error: 'Service Unavailable', message: 'no database is configured (VM_CONFIG_COLLECTOR_DATABASE_URL)' });
    try {
      return (await this.route(this.store, path ?? '', request.query)) ?? json(404, { statusCode: 404, error: 'Not Found', message: `no route GET ${request.path.slice(0, 200)}` });
    } catch (error) {
      if (error instanceof QueryError) return json(400, { statusCode: 400, error: 'Bad Request', field: error.field, message: error.message });
      this.onStoreError(error);
      return json(503, { statusCode: 503, error: 'Service Unavailable', message: 'the facts database is not answering; retry shortly' });
    }
  }

  private async route(store: FactStore, path: string, query: Record<string, unknown>): Promise<ApiResponse | null> {
    if (path === '/nodes') {
      const { format, ...rest } = query;
      const page = await store.list(parseListQuery(rest));
      if (formatOf(format) === 'csv') return csv(toCsv(page.items), page.nextCursor ? { 'x-next-cursor': page.nextCursor } : {});
      return json(200, page);
    }
    if (path === '/export') return this.export(store, query);
    const match = /^\/nodes\/([^/]{1,300})(\/history|\/diff|\/versions\/([^/]{1,12}))?$/.exec(path);
    if (!match) return null;
    const node = decodeNode(match[1]!);
    if (!match[2]) {
      noParameters(query);
      return found(await store.node(node), node);
    }
    if (match[2] === '/history') {
      only(query, ['limit', 'before']);
      const limit = query['limit'] === undefined ? 50 : integer('limit', text(query, 'limit'), 1, 500);
      const before = query['before'] === undefined ? undefined : integer('before', text(query, 'before'), 1, 2 ** 31 - 1);
      const versions = await store.history(node, before === undefined ? { limit } : { limit, before });
      if (versions.length === 0 && !(await store.node(node))) return found(null, node);
      return json(200, { node, versions });
    }
    if (match[2] === '/diff') {
      only(query, ['from', 'to']);
      const from = integer('from', text(query, 'from'), 1, 2 ** 31 - 1);
      const to = integer('to', text(query, 'to'), 1, 2 ** 31 - 1);
      const diff = await store.diff(node, from, to);
      return diff ? json(200, { node, ...diff }) : json(404, { statusCode: 404, error: 'Not Found', message: `node ${node} has no version ${from} or ${to}` });
    }
    noParameters(query);
    const version = integer('version', match[3]!, 1, 2 ** 31 - 1);
    const stored = await store.version(node, version);
    return stored ? json(200, { node, ...stored }) : json(404, { statusCode: 404, error: 'Not Found', message: `node ${node} has no version ${version}` });
  }

  /** Every node matching the list's filters (all pages), as CSV or JSON. */
  private async export(store: FactStore, query: Record<string, unknown>): Promise<ApiResponse> {
    const { format, ...rest } = query;
    if (rest['limit'] !== undefined || rest['cursor'] !== undefined) throw new QueryError(rest['limit'] !== undefined ? 'limit' : 'cursor', 'export returns every matching node; page with /nodes instead');
    const base = parseListQuery(rest);
    const items: NodeSummary[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: NodeSummary[]; nextCursor: string | null } = await store.list(cursor ? parseListQuery({ ...rest, cursor, limit: '500' }) : { ...base, limit: 500 });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && items.length < MAX_EXPORT_ROWS);
    const type = formatOf(format ?? 'csv');
    const disposition = { 'content-disposition': `attachment; filename="vm-config.${type}"` };
    return type === 'csv' ? csv(toCsv(items), disposition) : { ...json(200, items), headers: { ...jsonHeaders, ...disposition } };
  }
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS };

function json(status: number, body: unknown): ApiResponse {
  return { status, headers: jsonHeaders, body: JSON.stringify(body) };
}

function csv(body: string, extra: Record<string, string>): ApiResponse {
  return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', ...SECURITY_HEADERS, ...extra }, body };
}

function found(value: unknown, node: string): ApiResponse {
  return value ? json(200, value) : json(404, { statusCode: 404, error: 'Not Found', message: `no facts for node ${node}` });
}

function formatOf(value: unknown): 'csv' | 'json' {
  if (value === undefined || value === 'json') return 'json';
  if (value === 'csv') return 'csv';
  throw new QueryError('format', 'must be json or csv');
}

function decodeNode(raw: string): string {
  let node: string;
  try {
    node = decodeURIComponent(raw);
  } catch {
    throw new QueryError('node', 'is not valid percent-encoding');
  }
  if (!NODE_NAME.test(node)) throw new QueryError('node', 'must be a Consul node name (letters, digits, . _ -, at most 253)');
  return node;
}

function text(query: Record<string, unknown>, field: string): string {
  const value = query[field];
  if (typeof value !== 'string') throw new QueryError(field, value === undefined ? 'is required' : 'must be given once');
  return value;
}

function only(query: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(query)) if (!allowed.includes(key)) throw new QueryError(key.slice(0, 64), `unknown parameter (known: ${allowed.join(', ')})`);
}

function noParameters(query: Record<string, unknown>): void {
  only(query, []);
}
