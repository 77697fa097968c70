import { sprintf } from '../../core/go-format';
import { GoChan, GoInt64, GoNilPointer, GoObject, GoStruct, GoUint, JsonNumber, intValue, isMap, type GoValue } from '../../core/go-value';

/** Sprig's value helpers: strval, spf13/cast conversions, reflect kinds and DeepEqual. */

/** sprig's strval: strings as they are, Stringers by String(), the rest by %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return sprintf('%v', [v ?? null]);
}

/** cast.ToInt64: numbers (floats truncated), numeric strings with Go base prefixes, bools; 0 otherwise. */
export function toInt64(v: GoValue): bigint {
  const i = intValue(v ?? null);
  if (i !== undefined) return i;
  if (v instanceof GoUint) return BigInt.asIntN(64, v.value);
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const text = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v : undefined;
  if (text === undefined) return 0n;
  const t = /^[+-]?\d+\.0*$/.test(text) ? text.replace(/\.0*$/, '') : text; // cast's trimZeroDecimal
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(t.replace(/_/g, ''));
  if (!m) return 0n;
  const body = m[2]!;
  const n = /^0[oO]/.test(body) ? BigInt('0o' + body.slice(2)) : /^0[0-7]+$/.test(body) ? BigInt('0o' + body.slice(1)) : BigInt(body);
  const signed = m[1] === '-' ? -n : n;
  return signed > 9223372036854775807n || signed < -9223372036854775808n ? 0n : signed;
}

/** cast.ToFloat64. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  const i = intValue(v ?? null);
  if (i !== undefined) return Number(i);
  if (v instanceof GoUint) return Number(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const text = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v : undefined;
  if (text === undefined) return 0;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || /^[+-]?(inf|infinity|nan)$/i.test(text) ? parseGoFloatLoose(text) : 0;
}

function parseGoFloatLoose(text: string): number {
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return NaN;
  return Number(text);
}

export const int64 = (n: bigint): GoInt64 => new GoInt64(BigInt.asIntN(64, n));

/** reflect.Kind's name, as sprig's kindOf and its error messages print it. */
export function kindName(v: GoValue): string {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'string' || v instanceof JsonNumber) return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof GoInt64) return 'int64';
  if (v instanceof GoUint) return 'uint64';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoChan) return 'chan';
  if (v instanceof GoStruct) return v.pointer ? 'ptr' : 'struct';
  if (v instanceof GoObject && v.traits.kind) return v.traits.kind;
  if (v instanceof GoNilPointer || v instanceof GoObject) return 'ptr';
  return 'map';
}

/** reflect.DeepEqual over the value model (types must match: int 1 is not int64 1). */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof JsonNumber) return b instanceof JsonNumber && a.text === b.text;
  if (a instanceof GoInt64) return b instanceof GoInt64 && a.value === b.value;
  if (a instanceof GoUint) return b instanceof GoUint && a.value === b.value;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** sprig's empty(): zero values and empty containers. */
export function isEmpty(v: GoValue): boolean {
  if (v === undefined || v === null || v instanceof GoNilPointer) return true;
  if (typeof v === 'string') return v.length === 0;
  if (v instanceof JsonNumber) return v.text.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  const i = intValue(v);
  if (i !== undefined) return i === 0n;
  if (v instanceof GoUint) return v.value === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}
