import { fn, type FunctionMap } from '../core/function-def';
import { formatV } from '../core/go-format';
import { isTrue, typedSlice, type GoMap, type GoValue } from '../core/go-value';
import { toLower, toUpper, trimSpace } from './go-strings';

/**
 * The Sprig functions most templates use, under Vault Agent's `sprig_` prefix. Sprig's
 * full set is not ported; the README lists what is.
 */
const s = (v: GoValue): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : formatV(v));

export const sprigFunctions: FunctionMap = {
  sprig_upper: fn(['string'], ([a]) => toUpper(s(a))),
  sprig_lower: fn(['string'], ([a]) => toLower(s(a))),
  sprig_trim: fn(['string'], ([a]) => trimSpace(s(a))),
  sprig_quote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => JSON.stringify(s(a))).join(' '), 'any'),
  sprig_squote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${s(a)}'`).join(' '), 'any'),
  sprig_default: fn(['any'], ([d, ...given]) => {
    const v = given[0];
    return given.length === 0 || !isTrue(v ?? null) ? d ?? null : v ?? null;
  }, 'any'),
  sprig_b64enc: fn(['string'], ([a]) => Buffer.from(s(a), 'utf8').toString('base64')),
  sprig_b64dec: fn(['string'], ([a]) => Buffer.from(s(a), 'base64').toString('utf8')),
  sprig_replace: fn(['string', 'string', 'string'], ([o, n, t]) => s(t).split(s(o)).join(s(n))),
  sprig_contains: fn(['string', 'string'], ([sub, t]) => s(t).includes(s(sub))),
  sprig_hasPrefix: fn(['string', 'string'], ([p, t]) => s(t).startsWith(s(p))),
  sprig_hasSuffix: fn(['string', 'string'], ([p, t]) => s(t).endsWith(s(p))),
  sprig_repeat: fn(['int', 'string'], ([n, t]) => s(t).repeat(Number(n))),
  sprig_list: fn([], (args) => args.map((a) => a ?? null), 'any'),
  sprig_dict: fn([], (args) => {
    const m: GoMap = {};
    for (let i = 0; i < args.length; i += 2) m[s(args[i])] = i + 1 < args.length ? args[i + 1] ?? null : '';
    return m;
  }, 'any'),
  sprig_toString: fn(['any'], ([a]) => s(a)),
  sprig_splitList: fn(['string', 'string'], ([sep, t]) => typedSlice(s(t).split(s(sep)), 'string')),
  sprig_nospace: fn(['string'], ([a]) => s(a).replace(/\s/g, '')),
};
