/** Blocks that carry a label naming their type in HCL (`method "approle" { ... }`). */
const LABELLED = new Set(['method', 'sink', 'listener']);
/** Blocks and objects that Vault Agent's JSON form keeps as lists. */
const LISTS = new Set(['template', 'listener', 'sink']);

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns hcl2json's output (every block a list, labelled blocks keyed by label) into Vault
 * Agent's JSON configuration form, so one parser reads both.
 */
export function normalizeHcl(value: Raw): Raw {
  const out: Raw = {};
  for (const [key, item] of Object.entries(value)) {
    if (LABELLED.has(key) && isObject(item)) {
      const list: Raw[] = [];
      for (const [label, blocks] of Object.entries(item)) {
        for (const block of Array.isArray(blocks) ? blocks : [blocks]) list.push({ type: label, ...normalizeHcl(isObject(block) ? block : {}) });
      }
      out[key] = LISTS.has(key) ? list : list.length === 1 ? list[0] : list;
    } else if (Array.isArray(item) && item.every(isObject)) {
      const blocks = item.map((b) => normalizeHcl(b));
      out[key] = LISTS.has(key) || blocks.length !== 1 ? blocks : blocks[0];
    } else if (isObject(item)) {
      out[key] = normalizeHcl(item);
    } else {
      out[key] = item;
    }
  }
  return out;
}
