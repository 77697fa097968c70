import { createHash } from 'node:crypto';

/** The KV folder holding every VM's facts: `vm-config/<node>/<section>`. */
export const FACTS_PREFIX = 'vm-config/';

/** Largest value the collector writes or the service accepts; Consul's own limit is 512 KiB. */
export const MAX_SECTION_BYTES = 400 * 1024;

/** A Consul node name (DNS label characters, at most 253). */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const SECTION = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The KV key of one section of a node's facts. */
export function sectionKey(node: string, section: string): string {
  return `${FACTS_PREFIX}${node}/${section}`;
}

/** The node and section of a facts key, or null when the key does not have that shape. */
export function parseSectionKey(key: string): { node: string; section: string } | null {
  if (!key.startsWith(FACTS_PREFIX) || key.length > 512) return null;
  const rest = key.slice(FACTS_PREFIX.length).split('/');
  if (rest.length !== 2) return null;
  const [node, section] = rest as [string, string];
  return NODE_NAME.test(node) && SECTION.test(section) ? { node, section } : null;
}

/** JSON with object keys sorted, so equal facts give equal text and equal hashes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** sha256 hex of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The section listing every other section's hash, written after them (see writeFacts). */
export const MANIFEST_SECTION = 'manifest';

/** Sections that are measurements, not configuration: never in the manifest, never an event. */
export const VOLATILE_SECTIONS: ReadonlySet<string> = new Set(['usage']);

/** The manifest of a node's sections, from their canonical JSON texts. */
export function manifestOf(sections: Iterable<[string, string]>): { sections: Record<string, string> } {
  const hashes: Record<string, string> = {};
  for (const [name, text] of sections) if (name !== MANIFEST_SECTION && !VOLATILE_SECTIONS.has(name)) hashes[name] = sha256(text);
  return { sections: hashes };
}
