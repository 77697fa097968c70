/**
 * The Go value model. Templates run on Go values (reflect), so the types that change
 * behaviour are kept distinct here: `bigint` is Go `int`/`int64`, `number` is `float64`,
 * `JsonNumber` is `encoding/json.Number` (what Vault's API client decodes every JSON
 * number into), `null` is a nil interface and `undefined` is an invalid reflect.Value
 * (what Go prints as `<no value>`).
 */

/** `encoding/json.Number`: a string kind that keeps the number's text exactly. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Go `uint64` (parseUint): kept apart from int because Go prints and compares it apart. */
export class GoUint {
  constructor(readonly value: bigint) {}
}

/** Go `int64` (parseInt, add and friends, loop values): an int kind whose type name differs from `int`. */
export class GoInt64 {
  constructor(readonly value: bigint) {}
}

/** A receive-only channel (`loop`'s `<-chan int64`): ranging drains it, so a second range sees nothing. */
export class GoChan {
  private pending: GoValue[];
  constructor(
    readonly elemType: string,
    values: GoValue[],
  ) {
    this.pending = values;
  }
  /** Receives every value still in the channel. */
  drain(): GoValue[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

/** A Go value with methods and no visible fields (`*template.Scratch`): `.Name args` calls a method. */
export class GoObject {
  constructor(
    readonly typeName: string,
    readonly methods: Readonly<Record<string, import('./function-def').FunctionDef>>,
    /** `kind`: reflect kind when not a pointer (time.Time is a struct); `text`: fmt.Stringer; `native`: the value behind it. */
    readonly traits: { readonly kind?: 'struct'; readonly text?: () => string; readonly native?: unknown } = {},
  ) {}
}

/** The integer of an `int` (bigint) or `int64` value, else undefined. */
export function intValue(v: GoValue): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoInt64) return v.value;
  return undefined;
}

/** A Go struct (or pointer to one, `pointer: true`); fields keep declaration order. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer = true,
  ) {}
}

/** A typed nil pointer to a struct (a Secret's empty Auth or WrapInfo): prints `<nil>`, is false. */
export class GoNilPointer {
  constructor(
    readonly typeName: string,
    readonly fieldNames: readonly string[],
  ) {}
}

/** Element type of a slice, so `join` can refuse `[]interface {}` as Go does. */
export type SliceElem = 'interface' | 'string' | 'int';
const ELEM = Symbol('go-slice-elem');
/** Marks an array as a typed Go slice (default is `[]interface {}`). */
export function typedSlice<T extends GoValue[]>(values: T, elem: SliceElem): T {
  if (elem !== 'interface') Object.defineProperty(values, ELEM, { value: elem, enumerable: false });
  return values;
}
const NIL = Symbol('go-nil-slice');
/** A nil Go slice: prints `[]` but encodes to JSON as `null`. */
export function nilSlice(elem: SliceElem): GoValue[] {
  const out = typedSlice([], elem);
  Object.defineProperty(out, NIL, { value: true, enumerable: false });
  return out;
}
export function isNilSlice(values: readonly GoValue[]): boolean {
  return (values as unknown as Record<symbol, boolean | undefined>)[NIL] === true;
}
export function sliceElem(values: readonly GoValue[]): SliceElem {
  return ((values as unknown as Record<symbol, SliceElem | undefined>)[ELEM] ?? 'interface') as SliceElem;
}

/** Value type of a map (default `map[string]interface {}`). */
const MAPELEM = Symbol('go-map-elem');
/** `string`: map[string]string; `anykey`: map[interface {}]interface {} (yaml.v2's maps). */
export function typedMap(map: GoMap, elem: 'string' | 'anykey'): GoMap {
  Object.defineProperty(map, MAPELEM, { value: elem, enumerable: false });
  return map;
}
export function mapElem(map: GoMap): 'interface' | 'string' | 'anykey' {
  return ((map as unknown as Record<symbol, 'string' | 'anykey' | undefined>)[MAPELEM] ?? 'interface') as 'interface' | 'string' | 'anykey';
}

export type GoMap = { [key: string]: GoValue };
export type GoValue =
  | string
  | boolean
  | bigint
  | number
  | JsonNumber
  | GoUint
  | GoInt64
  | GoChan
  | GoObject
  | GoStruct
  | GoNilPointer
  | GoValue[]
  | GoMap
  | null
  | undefined;

export function isMap(v: GoValue): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber) && !(v instanceof GoStruct) && !(v instanceof GoUint) && !(v instanceof GoNilPointer) && !(v instanceof GoInt64) && !(v instanceof GoChan) && !(v instanceof GoObject);
}

export function hasKey(map: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Go's `%T`-style type name, used in messages and in fmt's bad-verb output. */
export function goTypeName(v: GoValue): string {
  if (v instanceof JsonNumber) return 'json.Number';
  if (v instanceof GoStruct) return (v.pointer ? '*' : '') + v.typeName;
  if (v instanceof GoNilPointer) return v.typeName;
  if (v instanceof GoInt64) return 'int64';
  if (v instanceof GoChan) return `<-chan ${v.elemType}`;
  if (v instanceof GoObject) return v.typeName;
  const kind = kindOf(v);
  switch (kind) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'uint':
      return 'uint64';
    case 'float':
      return 'float64';
    case 'slice': {
      const e = sliceElem(v as readonly GoValue[]);
      return e === 'interface' ? '[]interface {}' : `[]${e}`;
    }
    case 'map':
      return { string: 'map[string]string', anykey: 'map[interface {}]interface {}', interface: 'map[string]interface {}' }[mapElem(v as GoMap)];
    default:
      return kind; // string, bool, int: Go's names for them
  }
}

/** Go's reflect kinds, as far as templates distinguish them. */
export type Kind = 'chan' | 'invalid' | 'nil' | 'pointer' | 'string' | 'bool' | 'int' | 'uint' | 'float' | 'slice' | 'map' | 'struct';
export function kindOf(v: GoValue): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
  }
  if (v instanceof JsonNumber) return 'string';
  if (v instanceof GoUint) return 'uint';
  if (v instanceof GoInt64) return 'int';
  if (v instanceof GoChan) return 'chan';
  if (v instanceof GoObject) return v.traits.kind ?? 'pointer';
  if (v instanceof GoStruct) return 'struct';
  if (v instanceof GoNilPointer) return 'pointer';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** text/template's isTrue: the truth of a value for if/with/and/or/not. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
  }
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (v instanceof GoUint || v instanceof GoInt64) return v.value !== 0n;
  if (v instanceof GoStruct || v instanceof GoChan || v instanceof GoObject) return true;
  if (v instanceof GoNilPointer) return false;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** Go compares strings by bytes; for UTF-8 that is code point order, not UTF-16 order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort above every BMP code unit in UTF-8.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/**
 * map[interface {}]interface {} (yaml.v2's maps) can have keys that are not strings: an
 * int 404 and a string "404" are different keys. Such a key is stored under a text no
 * string key can have, and the typed key is kept beside the map.
 */
const TYPED_KEYS = Symbol('go-map-typed-keys');
export function typedKeyText(key: GoValue): string {
  return typeof key === 'string' ? key : `\u0000${goTypeName(key)}\u0000${key === null || key === undefined ? '' : String(key instanceof GoUint || key instanceof GoInt64 ? key.value : key)}`;
}
/** Sets map[key] for a key of any type. */
export function setAnyKey(map: GoMap, key: GoValue, value: GoValue): void {
  const text = typedKeyText(key);
  if (typeof key !== 'string') {
    let keys = (map as unknown as Record<symbol, Map<string, GoValue> | undefined>)[TYPED_KEYS];
    if (!keys) {
      keys = new Map();
      Object.defineProperty(map, TYPED_KEYS, { value: keys });
    }
    keys.set(text, key);
  }
  map[text] = value;
}
/** The key value behind a stored key text (the text itself for string keys). */
export function mapKey(map: GoMap, text: string): GoValue {
  const keys = (map as unknown as Record<symbol, Map<string, GoValue> | undefined>)[TYPED_KEYS];
  return keys?.has(text) ? keys.get(text)! : text;
}
function hasTypedKeys(map: GoMap): boolean {
  return (map as unknown as Record<symbol, Map<string, GoValue> | undefined>)[TYPED_KEYS] !== undefined;
}

// internal/fmtsort orders interface keys by type first (the address of the type descriptor,
// which in the agent's binary gives uint64 < string < int < float64 < bool), then by value.
const TYPE_RANK: Record<string, number> = { uint: 0, string: 1, int: 2, float: 3, bool: 4 };
function compareAnyKeys(a: GoValue, b: GoValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const ra = TYPE_RANK[kindOf(a)] ?? 5;
  const rb = TYPE_RANK[kindOf(b)] ?? 5;
  if (ra !== rb) return ra - rb;
  if (typeof a === 'string') return compareGoStrings(a, b as string);
  const num = (v: GoValue): bigint | number => (v instanceof GoUint || v instanceof GoInt64 ? v.value : typeof v === 'boolean' ? (v ? 1 : 0) : (v as bigint | number));
  const [x, y] = [num(a), num(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Map keys in the order Go's fmt and text/template's range visit them. */
export function sortedKeys(map: GoMap): string[] {
  if (hasTypedKeys(map)) return Object.keys(map).sort((a, b) => compareAnyKeys(mapKey(map, a), mapKey(map, b)));
  return Object.keys(map).sort(compareGoStrings);
}

/**
 * Go strings are bytes. Text is kept as JavaScript strings; a byte that is not part of
 * valid UTF-8 (binary from base64Decode) is kept as the lone surrogate U+DC00+byte, which
 * no decoded text can contain, so bytes survive every string operation and come back
 * exact through goBytes.
 */
const LONE_ESCAPE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The bytes of a Go string. */
export function goBytes(s: string): Buffer {
  if (!LONE_ESCAPE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const prevHigh = i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
    if (c >= 0xdc80 && c <= 0xdcff && !prevHigh) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - 0xdc00]));
      run = '';
    } else run += s[i];
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A Go string from bytes (Go's `string(b)`): valid UTF-8 as text, other bytes escaped. */
export function goStringFromBytes(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const n = utf8SequenceLength(bytes, i);
      if (n === 0) {
        out += String.fromCharCode(0xdc00 + bytes[i]!);
        i++;
      } else {
        out += Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
        i += n;
      }
    }
    return out;
  }
}

/** Length of the valid UTF-8 sequence at i (Go's utf8.DecodeRune rules), 0 when invalid. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Length in bytes, as Go's `len` of a string. */
export function utf8Length(s: string): number {
  return LONE_ESCAPE.test(s) ? goBytes(s).length : Buffer.byteLength(s, 'utf8');
}
