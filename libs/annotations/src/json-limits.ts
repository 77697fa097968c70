/** Deepest nesting accepted in external JSON the injector copies (JSON patch values). */
export const MAX_JSON_DEPTH = 32;

/** Property names that reach an object's prototype in JavaScript; never a Kubernetes field. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a parsed JSON value is unsafe to copy, or undefined: nested deeper than `maxDepth`
 * (copying and serialising it would recurse that deep) or carrying a prototype key. Walks
 * iteratively, so the check itself cannot overflow the stack.
 */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
    if (Array.isArray(item)) {
      for (const entry of item) stack.push([entry, depth + 1]);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (PROTOTYPE_KEYS.has(key)) return `has a ${JSON.stringify(key)} key`;
      stack.push([(item as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}
