import { RE2JS, RE2JSException } from 're2js';
import { FunctionError } from '../core/function-def';

/**
 * Go's regexp package through re2js (a port of RE2/J, Go's syntax and error messages):
 * POSIX classes, ASCII-only \s \d \w \b, leftmost-first matching, no lookaround or
 * backreferences, and Go's rule that an empty match right after a match is skipped.
 */
export interface GoRegexp {
  /** Every non-overlapping match as [start, end, group starts and ends...], UTF-16 offsets, -1 for unset groups. */
  findAll(s: string, n: number): number[][];
  /** Group names by index (Go's SubexpNames). */
  readonly names: readonly string[];
}

const cache = new Map<string, GoRegexp>();
const CACHE_LIMIT = 512;

/** regexp.Compile: throws a FunctionError with Go's `error parsing regexp: ...` text. */
export function goRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (err) {
    if (err instanceof RE2JSException) throw new FunctionError(err.message);
    throw err;
  }
  const names: string[] = [];
  for (const [name, i] of Object.entries(compiled.namedGroups())) names[i] = name;
  const re2 = compiled.re2Input as unknown as { findAllSubmatchIndex(s: string, n: number): number[][] | null };
  const re: GoRegexp = { findAll: (s, n) => re2.findAllSubmatchIndex(s, n) ?? [], names };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/** regexp.MatchString. */
export function goMatch(re: GoRegexp, s: string): boolean {
  return re.findAll(s, 1).length > 0;
}

/** regexp.ReplaceAllString (`literal`: ReplaceAllLiteralString): `$1`, `${1}`, `$name` (longest word), `$$`. */
export function goReplaceAll(re: GoRegexp, s: string, template: string, literal = false): string {
  let out = '';
  let last = 0;
  for (const m of re.findAll(s, -1)) {
    out += s.slice(last, m[0]) + (literal ? template : expand(template, s, m, re.names));
    last = m[1]!;
  }
  return out + s.slice(last);
}

/** regexp.Expand. */
export function expand(template: string, s: string, m: readonly number[], names: readonly string[]): string {
  const group = (i: number): string => (2 * i + 1 < m.length && m[2 * i]! >= 0 ? s.slice(m[2 * i], m[2 * i + 1]) : '');
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = braced ? null : /^[A-Za-z0-9_]+/.exec(rest);
    const name = braced ? braced[1]! : bare?.[0];
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += (braced ?? bare)![0].length;
    if (/^\d+$/.test(name)) out += group(Number(name));
    else {
      const idx = names.indexOf(name);
      if (idx > 0) out += group(idx);
    }
  }
  return out;
}
