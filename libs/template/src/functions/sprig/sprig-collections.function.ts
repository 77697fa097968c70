import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { compareGoStrings, isMap, mapElem, typedSlice, type GoMap, type GoValue } from '../../core/go-value';
import { mergoMap } from '../go-mergo';
import { deepEqual, isEmpty, kindName, strval } from './sprig-values';

/** Sprig v3.2.3's list and dict functions (list.go, dict.go); lists come back as []interface {}. */
const list = (values: GoValue[]): GoValue[] => typedSlice(values, 'interface');

function asList(v: GoValue, what: string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new FunctionError(`Cannot ${what} on type ${kindName(v ?? null)}`);
}
function asDict(v: GoValue, name: string): GoMap {
  if (isMap(v ?? null) && mapElem(v as GoMap) === 'interface') return v as GoMap;
  throw new FunctionError(`wrong type for value; expected map[string]interface {}; got ${kindName(v ?? null)} (${name})`);
}

/** sprig's strslice: []string of a list (nils dropped), or of one value. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function dict(args: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < args.length; i += 2) out[strval(args[i] ?? null)] = i + 1 < args.length ? (args[i + 1] ?? null) : '';
  return out;
}

function dig(args: GoValue[]): GoValue {
  if (args.length < 3) throw new FunctionError('dig needs at least three arguments');
  let cur = asDict(args[args.length - 1] ?? null, 'dig');
  const def = args[args.length - 2] ?? null;
  const keys = args.slice(0, -2).map((k) => k as string);
  for (const [i, k] of keys.entries()) {
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return def;
    const step = cur[k] ?? null;
    if (i === keys.length - 1) return step;
    cur = asDict(step, 'dig');
  }
  return def;
}

function until(start: bigint, stop: bigint, step: bigint): GoValue[] {
  const out: GoValue[] = [];
  if (stop < start) {
    if (step >= 0n) return typedSlice(out, 'int');
    for (let i = start; i > stop; i += step) out.push(i);
    return typedSlice(out, 'int');
  }
  if (step <= 0n) return typedSlice(out, 'int');
  for (let i = start; i < stop; i += step) out.push(i);
  return typedSlice(out, 'int');
}

function seq(params: bigint[]): string {
  const text = (v: GoValue[]): string => v.map((x) => String(x)).join(' ');
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      const inc = end < 1n ? -1n : 1n;
      return text(until(1n, end + inc, inc));
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      return text(until(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      return text(until(start, end + inc, step));
    }
    default:
      return '';
  }
}

export const sprigCollectionFunctions: FunctionMap = {
  sprig_list: fn([], (args) => list(args.map((a) => a ?? null)), 'any'),
  sprig_tuple: fn([], (args) => list(args.map((a) => a ?? null)), 'any'),
  sprig_first: fn(['any'], ([l]) => asList(l ?? null, 'find first')[0] ?? null),
  sprig_mustFirst: fn(['any'], ([l]) => asList(l ?? null, 'find first')[0] ?? null),
  sprig_last: fn(['any'], ([l]) => {
    const v = asList(l ?? null, 'find last');
    return v.length === 0 ? null : (v[v.length - 1] ?? null);
  }),
  sprig_rest: fn(['any'], ([l]) => {
    const v = asList(l ?? null, 'find rest');
    return v.length === 0 ? null : list(v.slice(1));
  }),
  sprig_initial: fn(['any'], ([l]) => {
    const v = asList(l ?? null, 'find initial');
    return v.length === 0 ? null : list(v.slice(0, -1));
  }),
  sprig_reverse: fn(['any'], ([l]) => list([...asList(l ?? null, 'find reverse')].reverse())),
  sprig_uniq: fn(['any'], ([l]) => {
    const out: GoValue[] = [];
    for (const e of asList(l ?? null, 'find uniq')) if (!out.some((o) => deepEqual(o, e))) out.push(e);
    return list(out);
  }),
  sprig_without: fn(['any'], ([l, ...omit]) => list(asList(l ?? null, 'find without').filter((e) => !omit.some((o) => deepEqual(o ?? null, e)))), 'any'),
  sprig_has: fn(['any', 'any'], ([needle, l]) => (l === null || l === undefined ? false : asList(l, 'find has').some((e) => deepEqual(e, needle ?? null)))),
  sprig_compact: fn(['any'], ([l]) => list(asList(l ?? null, 'compact').filter((e) => !isEmpty(e)))),
  sprig_append: fn(['any', 'any'], ([l, v]) => list([...asList(l ?? null, 'push'), v ?? null])),
  sprig_push: fn(['any', 'any'], ([l, v]) => list([...asList(l ?? null, 'push'), v ?? null])),
  sprig_prepend: fn(['any', 'any'], ([l, v]) => list([v ?? null, ...asList(l ?? null, 'prepend')])),
  sprig_concat: fn([], (lists) => list(lists.flatMap((l) => asList(l ?? null, 'concat'))), 'any'),
  sprig_slice: fn(['any'], ([l, ...idx]) => {
    const v = asList(l ?? null, 'slice');
    const i = idx.length > 0 ? Number(idx[0]) : 0;
    const j = idx.length > 1 ? Number(idx[1]) : v.length;
    return list(v.slice(i, j));
  }, 'any'),
  sprig_chunk: fn(['int', 'any'], ([size, l]) => {
    const v = asList(l ?? null, 'chunk');
    const k = Number(size);
    const out: GoValue[] = [];
    for (let i = 0; i < v.length; i += k) out.push(list(v.slice(i, i + k)));
    return typedSlice(out, 'interface');
  }),
  sprig_sortAlpha: fn(['any'], ([l]) => typedSlice(strslice(l ?? null).sort(compareGoStrings), 'string')),
  sprig_join: fn(['string', 'any'], ([sep, l]) => strslice(l ?? null).join(sep as string)),
  sprig_toStrings: fn(['any'], ([l]) => typedSlice(strslice(l ?? null), 'string')),
  sprig_until: fn(['int'], ([c]) => until(0n, c as bigint, (c as bigint) < 0n ? -1n : 1n)),
  sprig_untilStep: fn(['int', 'int', 'int'], ([a, b, st]) => until(a as bigint, b as bigint, st as bigint)),
  sprig_seq: fn([], (params) => seq(params as bigint[]), 'int'),
  sprig_dict: fn([], (args) => dict(args), 'any'),
  sprig_get: fn(['map', 'string'], ([d, k]) => {
    const m = (d as GoMap | null) ?? {};
    return Object.prototype.hasOwnProperty.call(m, k as string) ? (m[k as string] ?? null) : '';
  }),
  sprig_set: fn(['map', 'string', 'any'], ([d, k, v]) => {
    const m = (d as GoMap | null) ?? {};
    m[k as string] = v ?? null;
    return m;
  }),
  sprig_unset: fn(['map', 'string'], ([d, k]) => {
    const m = (d as GoMap | null) ?? {};
    delete m[k as string];
    return m;
  }),
  sprig_hasKey: fn(['map', 'string'], ([d, k]) => Object.prototype.hasOwnProperty.call((d as GoMap | null) ?? {}, k as string)),
  sprig_pluck: fn(['string'], ([k, ...ds]) => list(ds.filter((d) => Object.prototype.hasOwnProperty.call(asDict(d ?? null, 'pluck'), k as string)).map((d) => (d as GoMap)[k as string] ?? null)), 'map'),
  sprig_keys: fn([], (ds) => typedSlice(ds.flatMap((d) => Object.keys(asDict(d ?? null, 'keys'))).sort(compareGoStrings), 'string'), 'map'),
  sprig_values: fn(['map'], ([d]) => {
    const m = (d as GoMap | null) ?? {};
    return list(Object.keys(m).sort(compareGoStrings).map((k) => m[k] ?? null));
  }),
  sprig_pick: fn(['map'], ([d, ...ks]) => {
    const m = (d as GoMap | null) ?? {};
    const out: GoMap = {};
    for (const k of ks) if (Object.prototype.hasOwnProperty.call(m, k as string)) out[k as string] = m[k as string] ?? null;
    return out;
  }, 'string'),
  sprig_omit: fn(['map'], ([d, ...ks]) => {
    const m = (d as GoMap | null) ?? {};
    const out: GoMap = {};
    for (const k of Object.keys(m)) if (!ks.includes(k)) out[k] = m[k] ?? null;
    return out;
  }, 'string'),
  sprig_merge: fn(['map'], ([d, ...srcs]) => srcs.reduce<GoMap>((acc, src) => mergoMap(acc, asDict(src ?? null, 'merge'), false), (d as GoMap | null) ?? {}), 'map'),
  sprig_mustMerge: fn(['map'], ([d, ...srcs]) => srcs.reduce<GoMap>((acc, src) => mergoMap(acc, asDict(src ?? null, 'merge'), false), (d as GoMap | null) ?? {}), 'map'),
  sprig_mergeOverwrite: fn(['map'], ([d, ...srcs]) => srcs.reduce<GoMap>((acc, src) => mergoMap(acc, asDict(src ?? null, 'merge'), true), (d as GoMap | null) ?? {}), 'map'),
  sprig_mustMergeOverwrite: fn(['map'], ([d, ...srcs]) => srcs.reduce<GoMap>((acc, src) => mergoMap(acc, asDict(src ?? null, 'merge'), true), (d as GoMap | null) ?? {}), 'map'),
  sprig_dig: fn([], (args) => dig(args.map((a) => a ?? null)), 'any'),
};
