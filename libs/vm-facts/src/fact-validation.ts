/** Limits every externally produced fact object (plugin output, Ohai input) must respect. */
export interface FactLimits {
  maxDepth: number;
  maxStringLength: number;
  maxKeys: number;
}

/** Defaults: deep enough for Ohai's trees, small enough that one plugin cannot flood a section. */
export const DEFAULT_FACT_LIMITS: FactLimits = { maxDepth: 16, maxStringLength: 64 * 1024, maxKeys: 50_000 };

/** A section name: what Consul keys and searches can carry safely. */
export const SECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Checks parsed JSON in one pass (linear in its size): an object at the top, depth, string
 * lengths and the total number of keys bounded. Returns the first problem with its path.
 */
export function factProblem(value: unknown, limits: FactLimits = DEFAULT_FACT_LIMITS): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the output is not a JSON object';
  let keys = 0;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length) {
    const item = stack.pop()!;
    if (item.depth > limits.maxDepth) return `${item.path || '(top)'}: nested deeper than ${limits.maxDepth}`;
    if (typeof item.value === 'string' && item.value.length > limits.maxStringLength) return `${item.path}: string longer than ${limits.maxStringLength}`;
    if (typeof item.value !== 'object' || item.value === null) continue;
    for (const [key, child] of Object.entries(item.value)) {
      if (++keys > limits.maxKeys) return `more than ${limits.maxKeys} keys`;
      stack.push({ value: child, path: `${item.path}${Array.isArray(item.value) ? `[${key}]` : `.${key}`}`, depth: item.depth + 1 });
    }
  }
  return null;
}

/** Names that suggest a secret; such attributes are dropped from Ohai input and refused from plugins. */
export const SECRET_NAME = /pass(word|wd)?|secret|token|private|credential|api[_-]?key/i;

/** The first key path in the object whose name suggests a secret, or null. */
export function secretKeyPath(value: unknown, path = ''): string | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (SECRET_NAME.test(key)) return `${path}.${key}`;
    const found = secretKeyPath(child, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
