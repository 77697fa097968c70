import { posix } from 'node:path';
import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { formatFloatShortest, sprintf } from '../../core/go-format';
import { decodeJson } from '../../core/json-decode';
import { encodeJson } from '../../core/json-encode';
import { GoInt64, goTypeName, type GoValue } from '../../core/go-value';
import { deepEqual, int64, isEmpty, kindName, strval, toFloat64, toInt64 } from './sprig-values';

/** Sprig v3.2.3's numbers, conversions, defaults, JSON, reflection, paths and environment. */

/** shopspring/decimal over the shortest decimal text of each float64 (NewFromFloat), as execDecimalOp does. */
function decimalOp(values: number[], op: 'add' | 'sub' | 'mul' | 'div'): number {
  const toDec = (f: number): { int: bigint; scale: number } => {
    const text = formatFloatShortest(f).replace('+', '');
    const [mant, expText] = text.split('e') as [string, string | undefined];
    const [whole, frac = ''] = mant.split('.') as [string, string | undefined];
    let scale = frac.length - Number(expText ?? 0);
    let int = BigInt(whole + frac);
    if (scale < 0) {
      int *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return { int, scale };
  };
  const align = (a: { int: bigint; scale: number }, b: { int: bigint; scale: number }): [bigint, bigint, number] => {
    const scale = Math.max(a.scale, b.scale);
    return [a.int * 10n ** BigInt(scale - a.scale), b.int * 10n ** BigInt(scale - b.scale), scale];
  };
  let acc = toDec(values[0]!);
  for (const f of values.slice(1)) {
    const d = toDec(f);
    if (op === 'mul') acc = { int: acc.int * d.int, scale: acc.scale + d.scale };
    else if (op === 'div') {
      if (d.int === 0n) throw new FunctionError('decimal division by 0');
      // DivRound(d, 16): 16 digits after the point, half away from zero.
      const num = acc.int * 10n ** BigInt(16 + 1 + d.scale);
      const den = d.int * 10n ** BigInt(acc.scale);
      let q = num / den;
      q = q >= 0n ? (q + 5n) / 10n : (q - 5n) / 10n;
      acc = { int: q, scale: 16 };
    } else {
      const [x, y, scale] = align(acc, d);
      acc = { int: op === 'add' ? x + y : x - y, scale };
    }
  }
  const digits = (acc.int < 0n ? -acc.int : acc.int).toString().padStart(acc.scale + 1, '0');
  const text = `${acc.int < 0n ? '-' : ''}${digits.slice(0, digits.length - acc.scale)}.${digits.slice(digits.length - acc.scale)}0`;
  return Number(text);
}

function round(v: GoValue, places: bigint, roundOn = 0.5): number {
  const val = toFloat64(v);
  const pow = Math.pow(10, Number(places));
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  return (div >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

/** os.ExpandEnv: $NAME and ${NAME}. */
function expandEnv(text: string, env: (name: string) => string | undefined): string {
  return text.replace(/\$(\{([^}]*)\}|[A-Za-z0-9_]+|[*#$@!?\-0-9])/g, (_m, all: string, braced: string | undefined) => env(braced ?? all) ?? '');
}

const jsonOrError = (name: string, encode: () => string, must: boolean): string => {
  try {
    return encode();
  } catch (err) {
    if (must) throw new FunctionError((err as Error).message, { cause: err });
    return '';
  }
};

export const sprigValueFunctions: FunctionMap = {
  sprig_add: fn([], (args) => int64(args.reduce<bigint>((a, b) => a + toInt64(b ?? null), 0n)), 'any'),
  sprig_add1: fn(['any'], ([a]) => int64(toInt64(a ?? null) + 1n)),
  sprig_sub: fn(['any', 'any'], ([a, b]) => int64(toInt64(a ?? null) - toInt64(b ?? null))),
  sprig_mul: fn(['any'], ([a, ...rest]) => int64(rest.reduce<bigint>((x, y) => x * toInt64(y ?? null), toInt64(a ?? null))), 'any'),
  sprig_div: fn(['any', 'any'], ([a, b]) => {
    const d = toInt64(b ?? null);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return int64(toInt64(a ?? null) / d);
  }),
  sprig_mod: fn(['any', 'any'], ([a, b]) => {
    const d = toInt64(b ?? null);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return int64(toInt64(a ?? null) % d);
  }),
  sprig_max: fn(['any'], ([a, ...rest]) => int64(rest.reduce<bigint>((x, y) => (toInt64(y ?? null) > x ? toInt64(y ?? null) : x), toInt64(a ?? null))), 'any'),
  sprig_biggest: fn(['any'], ([a, ...rest]) => int64(rest.reduce<bigint>((x, y) => (toInt64(y ?? null) > x ? toInt64(y ?? null) : x), toInt64(a ?? null))), 'any'),
  sprig_min: fn(['any'], ([a, ...rest]) => int64(rest.reduce<bigint>((x, y) => (toInt64(y ?? null) < x ? toInt64(y ?? null) : x), toInt64(a ?? null))), 'any'),
  sprig_maxf: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, y) => Math.max(x, toFloat64(y ?? null)), toFloat64(a ?? null)), 'any'),
  sprig_minf: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, y) => Math.min(x, toFloat64(y ?? null)), toFloat64(a ?? null)), 'any'),
  sprig_add1f: fn(['any'], ([a]) => decimalOp([toFloat64(a ?? null), 1], 'add')),
  sprig_addf: fn([], (args) => decimalOp([0, ...args.map((a) => toFloat64(a ?? null))], 'add'), 'any'),
  sprig_subf: fn(['any'], ([a, ...rest]) => decimalOp([a, ...rest].map((x) => toFloat64(x ?? null)), 'sub'), 'any'),
  sprig_mulf: fn(['any'], ([a, ...rest]) => decimalOp([a, ...rest].map((x) => toFloat64(x ?? null)), 'mul'), 'any'),
  sprig_divf: fn(['any'], ([a, ...rest]) => decimalOp([a, ...rest].map((x) => toFloat64(x ?? null)), 'div'), 'any'),
  sprig_ceil: fn(['any'], ([a]) => Math.ceil(toFloat64(a ?? null))),
  sprig_floor: fn(['any'], ([a]) => Math.floor(toFloat64(a ?? null))),
  sprig_round: fn(['any', 'int'], ([a, p, ...on]) => round(a ?? null, p as bigint, on.length > 0 ? toFloat64(on[0] ?? null) : 0.5), 'any'),
  sprig_atoi: fn(['string'], ([a]) => (/^[+-]?\d+$/.test(a as string) ? BigInt.asIntN(64, BigInt(a as string)) : 0n)),
  sprig_int: fn(['any'], ([a]) => toInt64(a ?? null)),
  sprig_int64: fn(['any'], ([a]) => int64(toInt64(a ?? null))),
  sprig_float64: fn(['any'], ([a]) => toFloat64(a ?? null)),
  sprig_toDecimal: fn(['any'], ([a]) => {
    const text = strval(a ?? null);
    return int64(/^[+-]?[0-7]+$/.test(text) ? BigInt.asIntN(64, BigInt((text.startsWith('-') ? '-' : '') + '0o' + text.replace(/^[+-]/, ''))) : 0n);
  }),
  sprig_toString: fn(['any'], ([a]) => strval(a ?? null)),
  sprig_default: fn(['any'], ([d, ...given]) => (given.length === 0 || isEmpty(given[0] ?? null) ? (d ?? null) : (given[0] ?? null)), 'any'),
  sprig_empty: fn(['any'], ([a]) => isEmpty(a ?? null)),
  sprig_coalesce: fn([], (args) => args.find((a) => !isEmpty(a ?? null)) ?? null, 'any'),
  sprig_all: fn([], (args) => args.every((a) => !isEmpty(a ?? null)), 'any'),
  sprig_any: fn([], (args) => args.some((a) => !isEmpty(a ?? null)), 'any'),
  sprig_ternary: fn(['any', 'any', 'bool'], ([t, f, c]) => (c ? (t ?? null) : (f ?? null))),
  sprig_fromJson: fn(['string'], ([t]) => {
    try {
      return decodeJson(t as string, 'float');
    } catch {
      return {};
    }
  }),
  sprig_mustFromJson: fn(['string'], ([t]) => {
    try {
      return decodeJson(t as string, 'float');
    } catch (err) {
      throw new FunctionError((err as Error).message);
    }
  }),
  sprig_toJson: fn(['any'], ([v]) => jsonOrError('toJson', () => encodeJson(v ?? null), false)),
  sprig_mustToJson: fn(['any'], ([v]) => jsonOrError('mustToJson', () => encodeJson(v ?? null), true)),
  sprig_toPrettyJson: fn(['any'], ([v]) => jsonOrError('toPrettyJson', () => encodeJson(v ?? null, { indent: '  ' }), false)),
  sprig_mustToPrettyJson: fn(['any'], ([v]) => jsonOrError('mustToPrettyJson', () => encodeJson(v ?? null, { indent: '  ' }), true)),
  // Sprig's toRawJson panics where toJson gives "".
  sprig_toRawJson: fn(['any'], ([v]) => jsonOrError('toRawJson', () => encodeJson(v ?? null, { escapeHtml: false }), true)),
  sprig_mustToRawJson: fn(['any'], ([v]) => jsonOrError('mustToRawJson', () => encodeJson(v ?? null, { escapeHtml: false }), true)),
  sprig_typeOf: fn(['any'], ([v]) => sprintf('%T', [v ?? null])),
  sprig_typeIs: fn(['string', 'any'], ([t, v]) => t === sprintf('%T', [v ?? null])),
  sprig_typeIsLike: fn(['string', 'any'], ([t, v]) => {
    const name = sprintf('%T', [v ?? null]);
    return t === name || `*${t as string}` === name;
  }),
  sprig_kindOf: fn(['any'], ([v]) => kindName(v ?? null)),
  sprig_kindIs: fn(['string', 'any'], ([t, v]) => t === kindName(v ?? null)),
  sprig_deepEqual: fn(['any', 'any'], ([a, b]) => deepEqual(a ?? null, b ?? null) && (a === undefined || b === undefined || goTypeName(a) === goTypeName(b))),
  sprig_base: fn(['string'], ([p]) => goPathBase(p as string)),
  sprig_osBase: fn(['string'], ([p]) => goPathBase(p as string)),
  sprig_dir: fn(['string'], ([p]) => goPathDir(p as string)),
  sprig_osDir: fn(['string'], ([p]) => goPathDir(p as string)),
  sprig_clean: fn(['string'], ([p]) => goPathClean(p as string)),
  sprig_osClean: fn(['string'], ([p]) => goPathClean(p as string)),
  sprig_ext: fn(['string'], ([p]) => goPathExt(p as string)),
  sprig_osExt: fn(['string'], ([p]) => goPathExt(p as string)),
  sprig_isAbs: fn(['string'], ([p]) => (p as string).startsWith('/')),
  sprig_osIsAbs: fn(['string'], ([p]) => (p as string).startsWith('/')),
  sprig_env: fn(['string'], ([name], ctx) => ctx.services.env(name as string) ?? ''),
  sprig_expandenv: fn(['string'], ([t], ctx) => expandEnv(t as string, (n) => ctx.services.env(n))),
  sprig_fail: fn(['string'], ([msg]) => {
    throw new FunctionError(msg as string);
  }),
  // sprig's duration takes a string or an int64 only: any other type (a plain int) is 0s.
  sprig_duration: fn(['any'], ([v]) => goDuration(typeof v === 'string' ? (/^[+-]?\d+$/.test(v) ? BigInt(v) : 0n) : v instanceof GoInt64 ? v.value : 0n)),
};

/** path.Clean. */
function goPathClean(p: string): string {
  if (p === '') return '.';
  const cleaned = posix.normalize(p).replace(/\/+$/, '');
  if (cleaned === '') return '/';
  return cleaned === './' ? '.' : cleaned.startsWith('./') ? cleaned.slice(2) || '.' : cleaned;
}
function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
function goPathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return goPathClean(p.slice(0, i + 1));
}
function goPathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** time.Duration(n * time.Second).String() for whole seconds. */
function goDuration(seconds: bigint): string {
  if (seconds === 0n) return '0s';
  const neg = seconds < 0n;
  let s = neg ? -seconds : seconds;
  const h = s / 3600n;
  s %= 3600n;
  const m = s / 60n;
  s %= 60n;
  return `${neg ? '-' : ''}${h > 0n ? `${h}h` : ''}${h > 0n || m > 0n ? `${m}m` : ''}${s}s`;
}
