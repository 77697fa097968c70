import type { Pool } from 'pg';
import { diffFacts, type FactChange } from './fact-diff';
import { encodeCursor, QueryError, type ListQuery, type SortKey } from './list-query';
import { inTransaction } from './migrations';
import { searchTextOf } from './search-text';

type Facts = Record<string, unknown>;

/** What the watch knows about a new version when it records it. */
export interface VersionInfo {
  factsSha256: string;
  changed: string[];
  modifyIndex: number;
  collectedAt: Date;
}

/** One row of the list. */
export interface NodeSummary {
  node: string;
  os: string;
  osVersion: string;
  kernel: string;
  version: number;
  firstSeen: string;
  updatedAt: string;
}

/** One version's metadata in a node's history. */
export interface VersionSummary {
  version: number;
  collectedAt: string;
  changed: string[];
  factsSha256: string;
  modifyIndex: number;
}

const SORT_COLUMNS: Record<SortKey, string> = { node: 'n.node', os: 'n.os', kernel: 'n.kernel', updated_at: 'n.updated_at' };
const SUMMARY_COLUMNS = 'n.node, n.os, n.os_version, n.kernel, n.current_version, n.first_seen, n.updated_at';

interface SummaryRow {
  node: string;
  os: string;
  os_version: string;
  kernel: string;
  current_version: number;
  first_seen: Date;
  updated_at: Date;
}

/**
 * Every version of every node's facts in PostgreSQL (schema: ./migrations), and the reads the
 * VM Config list serves. Writes come only from the Consul watch (record); there is no other.
 */
export class FactStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Stores `facts` as the node's next version unless they equal its current one (same hash),
   * so a replayed round after a failure or a restart stores nothing twice.
   */
  async record(node: string, facts: Facts, info: VersionInfo): Promise<{ version: number; created: boolean }> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const current = await client.query<{ current_version: number; facts_sha256: string }>('SELECT current_version, facts_sha256 FROM vm_nodes WHERE node = $1 FOR UPDATE', [node]);
        const row = current.rows[0];
        if (row?.facts_sha256 === info.factsSha256) return { version: row.current_version, created: false };
        const version = (row?.current_version ?? 0) + 1;
        const platform = (facts['platform'] ?? {}) as Record<string, unknown>;
        const kernel = (facts['kernel'] ?? {}) as Record<string, unknown>;
        const { packages, ...withoutPackages } = facts;
        await client.query(
          'INSERT INTO vm_fact_versions (node, version, facts, facts_sha256, changed, modify_index, collected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [node, version, JSON.stringify(facts), info.factsSha256, info.changed, info.modifyIndex, info.collectedAt],
        );
        await client.query(
          `INSERT INTO vm_nodes (node, current_version, facts_sha256, first_seen, updated_at, os, os_version, kernel, search_text, facts)
           VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (node) DO UPDATE SET current_version = $2, facts_sha256 = $3, updated_at = $4, os = $5, os_version = $6, kernel = $7, search_text = $8, facts = $9`,
          [node, version, info.factsSha256, info.collectedAt, text(platform['platform']), text(platform['platform_version']), text(kernel['release']), searchTextOf(node, facts), JSON.stringify(withoutPackages)],
        );
        await client.query('DELETE FROM vm_node_packages WHERE node = $1', [node]);
        const [names, versions] = packageColumns(packages);
        if (names.length > 0) {
          await client.query('INSERT INTO vm_node_packages (node, name, version) SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING', [node, names, versions]);
        }
        return { version, created: true };
      });
    } finally {
      client.release();
    }
  }

  /** One page of the list, filtered and sorted; `nextCursor` is null on the last page. */
  async list(query: ListQuery, now: Date = new Date()): Promise<{ items: NodeSummary[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.text) where.push(`n.search_text LIKE ${param(`%${escapeLike(query.text.toLowerCase())}%`)} ESCAPE '\\'`);
    if (query.os) where.push(`n.os = ${param(query.os)}`);
    if (query.osVersion) where.push(`n.os_version = ${param(query.osVersion)}`);
    if (query.kernel) where.push(`n.kernel = ${param(query.kernel)}`);
    if (query.package) {
      const version = query.package.version === undefined ? '' : ` AND p.version = ${param(query.package.version)}`;
      where.push(`n.node IN (SELECT p.node FROM vm_node_packages p WHERE p.name = ${param(query.package.name)}${version})`);
    }
    for (const filter of query.facts) {
      const value = `n.facts #>> ${param(filter.path)}::text[]`;
      if (filter.op === 'contains') where.push(`strpos(lower(${value}), ${param(filter.value.toLowerCase())}) > 0`);
      else {
        // The containment test lets the GIN index pick the candidates; the text comparison keeps
        // the exact meaning (a leaf whose text is the value). Array indexes cannot be contained.
        const candidates = filter.path.some((segment) => /^\d+$/.test(segment)) ? [] : containments(filter.path, filter.value).map((json) => `n.facts @> ${param(json)}::jsonb`);
        where.push(`${candidates.length ? `(${candidates.join(' OR ')}) AND ` : ''}${value} = ${param(filter.value)}`);
      }
    }
    if (query.changedWithinDays) where.push(`n.updated_at >= ${param(new Date(now.getTime() - query.changedWithinDays * 86_400_000))}`);
    const column = SORT_COLUMNS[query.sort];
    if (query.cursor) {
      if (query.sort === 'updated_at' && !Number.isFinite(Date.parse(query.cursor.value))) throw new QueryError('cursor', 'does not belong to this sort order');
      const value = query.sort === 'updated_at' ? new Date(query.cursor.value) : query.cursor.value;
      where.push(`(${column}, n.node) ${query.descending ? '<' : '>'} (${param(value)}, ${param(query.cursor.node)})`);
    }
    const direction = query.descending ? 'DESC' : 'ASC';
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM vm_nodes n ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${column} ${direction}, n.node ${direction} LIMIT ${param(query.limit + 1)}`;
    const rows = (await this.pool.query<SummaryRow>(sql, params)).rows;
    const items = rows.slice(0, query.limit).map(summaryOf);
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ value: sortValue(last, query.sort), node: last.node }) : null;
    return { items, nextCursor };
  }

  /** A node's current facts, or null when it is unknown. */
  async node(node: string): Promise<(NodeSummary & { facts: Facts }) | null> {
    const { rows } = await this.pool.query<SummaryRow & { facts: Facts }>(
      `SELECT ${SUMMARY_COLUMNS}, v.facts FROM vm_nodes n JOIN vm_fact_versions v ON v.node = n.node AND v.version = n.current_version WHERE n.node = $1`,
      [node],
    );
    return rows[0] ? { ...summaryOf(rows[0]), facts: rows[0].facts } : null;
  }

  /** A node's versions, newest first, `limit` of them older than `before` (a version number). */
  async history(node: string, options: { limit: number; before?: number }): Promise<VersionSummary[]> {
    const { rows } = await this.pool.query<{ version: number; collected_at: Date; changed: string[]; facts_sha256: string; modify_index: string }>(
      'SELECT version, collected_at, changed, facts_sha256, modify_index FROM vm_fact_versions WHERE node = $1 AND version < $2 ORDER BY version DESC LIMIT $3',
      [node, options.before ?? 2 ** 31 - 1, options.limit],
    );
    return rows.map((row) => ({ version: row.version, collectedAt: row.collected_at.toISOString(), changed: row.changed, factsSha256: row.facts_sha256, modifyIndex: Number(row.modify_index) }));
  }

  /** One version's facts, or null. */
  async version(node: string, version: number): Promise<{ version: number; collectedAt: string; changed: string[]; facts: Facts } | null> {
    const { rows } = await this.pool.query<{ version: number; collected_at: Date; changed: string[]; facts: Facts }>(
      'SELECT version, collected_at, changed, facts FROM vm_fact_versions WHERE node = $1 AND version = $2',
      [node, version],
    );
    const row = rows[0];
    return row ? { version: row.version, collectedAt: row.collected_at.toISOString(), changed: row.changed, facts: row.facts } : null;
  }

  /** The leaf differences from version `from` to version `to`, or null when either is missing. */
  async diff(node: string, from: number, to: number): Promise<{ from: number; to: number; changes: FactChange[] } | null> {
    const [left, right] = await Promise.all([this.version(node, from), this.version(node, to)]);
    return left && right ? { from, to, changes: diffFacts(left.facts, right.facts) } : null;
  }
}

function summaryOf(row: SummaryRow): NodeSummary {
  return {
    node: row.node,
    os: row.os,
    osVersion: row.os_version,
    kernel: row.kernel,
    version: row.current_version,
    firstSeen: row.first_seen.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function sortValue(summary: NodeSummary, sort: SortKey): string {
  return sort === 'updated_at' ? summary.updatedAt : sort === 'node' ? summary.node : summary[sort];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 256) : '';
}

/** `{"a":{"b":<leaf>}}` for each JSON leaf whose text is `value`: the string, and a number, boolean or null when it reads as one. */
function containments(path: string[], value: string): string[] {
  const leaves: unknown[] = [value];
  if (value === 'true' || value === 'false' || value === 'null') leaves.push(JSON.parse(value));
  else if (value.length <= 32 && Number.isFinite(Number(value)) && String(Number(value)) === value) leaves.push(Number(value));
  return leaves.map((leaf) => JSON.stringify(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf)));
}

/** LIKE wildcards and the escape character taken literally. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** dpkg/rpm packages as `{ name: { version } }` → name and version columns. */
function packageColumns(packages: unknown): [string[], string[]] {
  const names: string[] = [];
  const versions: string[] = [];
  if (typeof packages !== 'object' || packages === null) return [names, versions];
  for (const [name, info] of Object.entries(packages)) {
    const version = (info as { version?: unknown } | null)?.version;
    names.push(name.slice(0, 256));
    versions.push(typeof version === 'string' ? version.slice(0, 256) : '');
  }
  return [names, versions];
}
