import type { ConsulClient, KvEntry } from '@opzero/consul';
import { canonicalJson, FACTS_PREFIX, MANIFEST_SECTION, manifestOf, MAX_SECTION_BYTES, NODE_NAME, sectionKey } from './fact-keys';

type Facts = Record<string, Record<string, unknown>>;

/** What one write did, section by section. */
export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Sections not written: too large, or a check-and-set lost to another writer. */
  refused: { section: string; reason: string }[];
  catalogUpdated: boolean;
}

export interface WriteOptions {
  node: string;
  /** The node's address in the catalog. */
  address: string;
  /** The `usage` section (free memory, uptime) is rewritten at most this often. */
  usageMaxAgeMs?: number;
  now?: () => Date;
}

/** The section whose figures move all the time; rewritten on its own schedule. */
export const USAGE_SECTION = 'usage';

/**
 * Writes a node's facts under `vm-config/<node>/`, one key per section, only the sections whose
 * canonical JSON differs from Consul's (check-and-set on the index read), deletes sections that
 * disappeared, and registers the node with os/os_version/kernel metadata when that changed.
 */
export async function writeFacts(consul: ConsulClient, facts: Facts, options: WriteOptions): Promise<WriteReport> {
  if (!NODE_NAME.test(options.node)) throw new Error(`node name "${options.node.slice(0, 64)}" is not a valid Consul node name`);
  if (facts[MANIFEST_SECTION]) throw new Error(`"${MANIFEST_SECTION}" is reserved for the collector's manifest`);
  const now = options.now ?? (() => new Date());
  const existing = new Map((await consul.kvList(`${FACTS_PREFIX}${options.node}/`)).value.map((entry) => [entry.key, entry]));
  const report: WriteReport = { written: [], unchanged: [], removed: [], refused: [], catalogUpdated: false };
  const planned: { section: string; key: string; text: string; current: KvEntry | undefined }[] = [];
  for (const [section, value] of Object.entries(facts)) {
    const key = sectionKey(options.node, section);
    const current = existing.get(key);
    existing.delete(key);
    const text = canonicalJson(section === USAGE_SECTION ? { ...value, measured_at: now().toISOString() } : value);
    if (Buffer.byteLength(text) > MAX_SECTION_BYTES) report.refused.push({ section, reason: `${Buffer.byteLength(text)} bytes, over the ${MAX_SECTION_BYTES}-byte limit` });
    else planned.push({ section, key, text, current });
  }
  const manifestKey = sectionKey(options.node, MANIFEST_SECTION);
  await writeManifest(consul, manifestKey, planned, existing.get(manifestKey), report);
  existing.delete(manifestKey);
  for (const { section, key, text, current } of planned) {
    const fresh = section === USAGE_SECTION && current !== undefined && usageIsFresh(current, now(), options.usageMaxAgeMs ?? 3_600_000);
    if (fresh || current?.value === text) {
      report.unchanged.push(section);
      continue;
    }
    const applied = await consul.kvPut(key, text, { cas: current?.modifyIndex ?? 0 });
    if (applied) report.written.push(section);
    else report.refused.push({ section, reason: 'changed by another writer since it was read (check-and-set)' });
  }
  for (const stale of existing.values()) {
    if (await consul.kvDelete(stale.key, { cas: stale.modifyIndex })) report.removed.push(stale.key.slice(stale.key.lastIndexOf('/') + 1));
  }
  report.catalogUpdated = await registerNode(consul, facts, options);
  return report;
}

/**
 * Written first, naming every section's hash: the watch takes a node's facts only when the
 * sections it sees match its manifest, so a reader never takes half of a run as a version.
 */
async function writeManifest(
  consul: ConsulClient,
  key: string,
  planned: { section: string; text: string }[],
  current: KvEntry | undefined,
  report: WriteReport,
): Promise<void> {
  const text = canonicalJson(manifestOf(planned.map(({ section, text: sectionText }) => [section, sectionText])));
  if (current?.value === text) return;
  if (await consul.kvPut(key, text, { cas: current?.modifyIndex ?? 0 })) report.written.push(MANIFEST_SECTION);
  else report.refused.push({ section: MANIFEST_SECTION, reason: 'changed by another writer since it was read (check-and-set)' });
}

function usageIsFresh(entry: KvEntry, now: Date, maxAgeMs: number): boolean {
  try {
    const measured = Date.parse(String((JSON.parse(entry.value ?? '') as { measured_at?: unknown }).measured_at));
    return Number.isFinite(measured) && now.getTime() - measured < maxAgeMs;
  } catch {
    return false;
  }
}

/** The catalog metadata `consul catalog nodes -node-meta` filters on. */
export function nodeMetaOf(facts: Facts): Record<string, string> {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 256) : '');
  return {
    os: text(facts['platform']?.['platform']),
    os_version: text(facts['platform']?.['platform_version']),
    kernel: text(facts['kernel']?.['release']),
    vm_config: 'true',
  };
}

async function registerNode(consul: ConsulClient, facts: Facts, options: WriteOptions): Promise<boolean> {
  const nodeMeta = nodeMetaOf(facts);
  const same = await consul.catalogNodes({ nodeMeta });
  if (same.value.some((node) => node.node === options.node && node.address === options.address)) return false;
  await consul.catalogRegister({ node: options.node, address: options.address, nodeMeta });
  return true;
}
