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
export function typedMap(map: GoMap, elem: 'string'): GoMap {
  Object.defineProperty(map, MAPELEM, { value: elem, enumerable: false });
  return map;
}
export function mapElem(map: GoMap): 'interface' | 'string' {
  return ((map as unknown as Record<symbol, 'string' | undefined>)[MAPELEM] ?? 'interface') as 'interface' | 'string';
}

export type GoMap = { [key: string]: GoValue };
export type GoValue =
  | string
  | boolean
  | bigint
  | number
  | JsonNumber
  | GoUint
  | GoStruct
  | GoNilPointer
  | GoValue[]
  | GoMap
  | null
  | undefined;

export function isMap(v: GoValue): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber) && !(v instanceof GoStruct) && !(v instanceof GoUint) && !(v instanceof GoNilPointer);
}

export function hasKey(map: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Go's `%T`-style type name, used in messages and in fmt's bad-verb output. */
export function goTypeName(v: GoValue): string {
  if (v instanceof JsonNumber) return 'json.Number';
  if (v instanceof GoStruct) return (v.pointer ? '*' : '') + v.typeName;
  if (v instanceof GoNilPointer) return v.typeName;
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
      return mapElem(v as GoMap) === 'string' ? 'map[string]string' : 'map[string]interface {}';
    default:
      return kind; // string, bool, int: Go's names for them
  }
}

/** Go's reflect kinds, as far as templates distinguish them. */
export type Kind = 'invalid' | 'nil' | 'pointer' | 'string' | 'bool' | 'int' | 'uint' | 'float' | 'slice' | 'map' | 'struct';
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
  if (v instanceof GoUint) return v.value !== 0n;
  if (v instanceof GoStruct) return true;
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

export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort(compareGoStrings);
}

/** Length in UTF-8 bytes, as Go's `len` of a string. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
