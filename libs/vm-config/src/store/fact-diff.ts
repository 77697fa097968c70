/** One difference between two versions of a node's facts, at a leaf. */
export interface FactChange {
  /** Dotted path, array items by index: `packages.curl.version`, `network.interfaces.eth0.addresses.0.address`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const MAX_DEPTH = 32;

/**
 * The leaf-level differences from `before` to `after`, sorted by path. An empty object or array
 * counts as a leaf, so `{}` → `{a: 1}` shows as the added `a`, and `x: {}` removed shows too.
 */
export function diffFacts(before: unknown, after: unknown): FactChange[] {
  const left = flatten(before);
  const right = flatten(after);
  const changes: FactChange[] = [];
  for (const [path, value] of left) {
    if (!right.has(path)) changes.push({ path, kind: 'removed', before: value });
    else if (!sameLeaf(value, right.get(path))) changes.push({ path, kind: 'changed', before: value, after: right.get(path) });
  }
  for (const [path, value] of right) if (!left.has(path)) changes.push({ path, kind: 'added', after: value });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Leaves of a JSON value by dotted path (depth-limited: deeper values are compared whole). */
function flatten(value: unknown): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const walk = (node: unknown, path: string, depth: number) => {
    const children = typeof node === 'object' && node !== null ? Object.entries(node) : [];
    if (children.length === 0 || depth >= MAX_DEPTH) {
      if (path) leaves.set(path, node);
      return;
    }
    for (const [key, child] of children) walk(child, path ? `${path}.${key}` : key, depth + 1);
  };
  walk(value, '', 0);
  return leaves;
}

function sameLeaf(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}
