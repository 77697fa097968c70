import { FunctionError } from '../core/function-def';

/**
 * Go RE2 patterns run on JavaScript's engine: leading inline flags become JS flags and
 * replacement templates are expanded with Go's `$name` / `${name}` rules.
 */
const cache = new Map<string, RegExp>();

export function goRegexp(pattern: string, global: boolean): RegExp {
  const key = `${global ? 'g' : ''}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let flags = global ? 'gu' : 'u';
  let body = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    if (m[1]!.includes('i')) flags += 'i';
    if (m[1]!.includes('m')) flags += 'm';
    if (m[1]!.includes('s')) flags += 's';
  }
  // Go's \z is JS's end of input; named groups (?P<n>...) are (?<n>...).
  body = body.replace(/\\z/g, '$(?![\\s\\S])').replace(/\(\?P</g, '(?<');
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch {
    try {
      re = new RegExp(body, flags.replace('u', ''));
    } catch (err) {
      throw new FunctionError(`error parsing regexp: ${(err as Error).message}`);
    }
  }
  cache.set(key, re);
  return re;
}

/** regexp.ReplaceAllString: `$1`, `${1}`, `$name` (longest word), `$$`. */
export function goReplaceAll(re: RegExp, s: string, template: string): string {
  return s.replace(re, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = (hasGroups ? args[args.length - 1] : undefined) as Record<string, string | undefined> | undefined;
    const captures = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    return expand(template, captures, groups);
  });
}

function expand(template: string, captures: (string | undefined)[], groups: Record<string, string | undefined> | undefined): string {
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
    let name: string | undefined;
    let used = 0;
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    if (braced) {
      name = braced[1];
      used = braced[0].length;
    } else {
      const bare = /^[A-Za-z0-9_]+/.exec(rest);
      if (bare) {
        name = bare[0];
        used = bare[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += used;
    if (/^\d+$/.test(name)) out += captures[Number(name)] ?? '';
    else out += groups?.[name] ?? '';
  }
  return out;
}
