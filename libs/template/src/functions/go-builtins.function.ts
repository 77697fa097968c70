import { FunctionError, fn, type FunctionMap } from '../core/function-def';
import { formatV, isGoPrint, sprint, sprintf, sprintln } from '../core/go-format';
import { GoChan, GoNilPointer, GoStruct, GoUint, JsonNumber, compareGoStrings, goBytes, goStringFromBytes, goTypeName, intValue, hasKey, isMap, isTrue, kindOf, mapElem, sliceElem, typedKeyText, typedSlice, utf8Length, type GoValue } from '../core/go-value';

/** text/template's predefined functions (funcs.go), with Go's comparison and indexing rules. */

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

/** The kind of a basic value (what comparisons accept); everything else is invalid. */
function basicKind(v: GoValue): BasicKind {
  const kind = kindOf(v);
  return kind === 'bool' || kind === 'int' || kind === 'uint' || kind === 'float' || kind === 'string' ? kind : 'invalid';
}

const str = (v: GoValue): string => (v instanceof JsonNumber ? v.text : (v as string));
const uint = (v: GoValue): bigint => (v as GoUint).value;

function eq(arg1: GoValue, rest: GoValue[]): boolean {
  if (rest.length === 0) throw new FunctionError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = intValue(arg1)! >= 0n && intValue(arg1)! === uint(arg);
      else if (k1 === 'uint' && k2 === 'int') truth = intValue(arg)! >= 0n && uint(arg1) === intValue(arg)!;
      else if (arg1 !== undefined && arg1 !== null && arg !== undefined && arg !== null) throw new FunctionError(`incompatible types for comparison: ${goTypeName(arg1)} and ${goTypeName(arg)}`);
    } else {
      switch (k1) {
        case 'bool':
          truth = arg1 === arg;
          break;
        case 'float':
          truth = arg1 === arg;
          break;
        case 'int':
          truth = intValue(arg1) === intValue(arg);
          break;
        case 'uint':
          truth = uint(arg1) === uint(arg);
          break;
        case 'string':
          truth = str(arg1) === str(arg);
          break;
        default: {
          const nil1 = arg1 === undefined || arg1 === null || arg1 instanceof GoNilPointer;
          const nil2 = arg === undefined || arg === null || arg instanceof GoNilPointer;
          if (nil1 || nil2) {
            if (!nil1 && (Array.isArray(arg1) || isMap(arg1))) throw new FunctionError(`non-comparable types ${formatV(arg1)}: ${goTypeName(arg1)}, <nil>: <nil>`);
            truth = nil1 === nil2;
          } else {
            throw new FunctionError(`non-comparable type ${formatV(arg)}: ${goTypeName(arg)}`);
          }
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FunctionError('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intValue(a)! < 0n || intValue(a)! < uint(b);
    if (k1 === 'uint' && k2 === 'int') return intValue(b)! >= 0n && uint(a) < intValue(b)!;
    throw new FunctionError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  }
  switch (k1) {
    case 'bool':
      throw new FunctionError('invalid type for comparison');
    case 'float':
      return (a as number) < (b as number);
    case 'int':
      return intValue(a)! < intValue(b)!;
    case 'uint':
      return uint(a) < uint(b);
    default:
      return compareGoStrings(str(a), str(b)) < 0;
  }
}

function indexArg(index: GoValue, length: number): number {
  let x: bigint;
  const iv = intValue(index);
  if (iv !== undefined) x = iv;
  else if (index instanceof GoUint) x = index.value;
  else if (index === undefined || index === null) throw new FunctionError('cannot index slice/array with nil');
  else throw new FunctionError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0n || x > BigInt(length)) throw new FunctionError(`index out of range: ${x}`);
  return Number(x);
}

function index(item: GoValue, indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new FunctionError('index of untyped nil');
  let cur: GoValue = item;
  for (const idx of indexes) {
    if (cur === null || cur === undefined) throw new FunctionError('index of nil pointer');
    if (typeof cur === 'string' || cur instanceof JsonNumber) {
      const bytes: Buffer = goBytes(str(cur));
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new FunctionError(`reflect: string index out of range`);
      cur = BigInt(bytes[x]!);
    } else if (Array.isArray(cur)) {
      const x = indexArg(idx, cur.length);
      if (x === cur.length) throw new FunctionError(`reflect: slice index out of range`);
      cur = cur[x] ?? null;
    } else if (isMap(cur)) {
      if (mapElem(cur) === 'anykey') {
        // map[interface {}]interface {}: any key type, found only under a key of the same type.
        const text = typedKeyText(idx ?? null);
        cur = hasKey(cur, text) ? (cur[text] ?? null) : null;
        continue;
      }
      if (idx === undefined || idx === null) throw new FunctionError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new FunctionError(`value has type ${goTypeName(idx)}; should be string`);
      cur = hasKey(cur, idx) ? (cur[idx] ?? null) : mapElem(cur) === 'string' ? '' : null;
    } else {
      throw new FunctionError(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: GoValue, indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new FunctionError('slice of untyped nil');
  if (indexes.length > 3) throw new FunctionError(`too many slice indexes: ${indexes.length}`);
  if (typeof item === 'string' || item instanceof JsonNumber) {
    if (indexes.length === 3) throw new FunctionError('cannot 3-index slice a string');
    const bytes = goBytes(str(item));
    const [i, j] = sliceBounds(indexes, bytes.length);
    return goStringFromBytes(bytes.subarray(i, j));
  }
  if (Array.isArray(item)) {
    const [i, j] = sliceBounds(indexes, item.length);
    return typedSlice(item.slice(i, j), sliceElem(item));
  }
  throw new FunctionError(`can't slice item of type ${goTypeName(item)}`);
}

function sliceBounds(indexes: GoValue[], cap: number): [number, number] {
  const idx = [0, cap, cap];
  indexes.forEach((v, i) => {
    idx[i] = indexArg(v, cap);
  });
  if (idx[0]! > idx[1]!) throw new FunctionError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length > 2 && idx[1]! > idx[2]!) throw new FunctionError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  return [idx[0]!, idx[1]!];
}

function length(item: GoValue): bigint {
  if (item === undefined) throw new FunctionError('reflect: call of reflect.Value.Type on zero Value');
  if (item === null || item instanceof GoNilPointer) throw new FunctionError('len of nil pointer');
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (item instanceof GoChan) return 0n; // loop's channel is unbuffered
  if (item instanceof JsonNumber) return BigInt(item.text.length);
  if (Array.isArray(item)) return BigInt(item.length);
  if (isMap(item)) return BigInt(Object.keys(item).length);
  throw new FunctionError(`len of type ${goTypeName(item)}`);
}

/** The single string argument, or fmt.Sprint of all of them (evalArgs in funcs.go). */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? null : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      switch (ch) {
        case '\\':
          out += '\\\\';
          continue;
        case "'":
          out += "\\'";
          continue;
        case '"':
          out += '\\"';
          continue;
        case '<':
          out += '\\u003C';
          continue;
        case '>':
          out += '\\u003E';
          continue;
        case '&':
          out += '\\u0026';
          continue;
        case '=':
          out += '\\u003D';
          continue;
      }
      out += c < 0x20 ? `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}` : ch;
    } else out += isGoPrint(c) ? ch : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const v = (x: GoValue): GoValue => (x === null ? undefined : x);

export const goBuiltins: FunctionMap = {
  and: fn(['value'], () => undefined, 'value'),
  or: fn(['value'], () => undefined, 'value'),
  not: fn(['value'], ([a]) => !isTrue(a)),
  len: fn(['value'], ([a]) => length(v(a))),
  index: fn(['value'], ([item, ...idx]) => index(v(item), idx.map(v)), 'value'),
  slice: fn(['value'], ([item, ...idx]) => slice(v(item), idx.map(v)), 'value'),
  print: fn([], (args) => sprint(args), 'any'),
  printf: fn(['string'], ([format, ...args]) => sprintf(format as string, args), 'any'),
  println: fn([], (args) => sprintln(args), 'any'),
  html: fn([], (args) => htmlEscape(evalArgs(args)), 'any'),
  js: fn([], (args) => jsEscape(evalArgs(args)), 'any'),
  urlquery: fn([], (args) => queryEscape(evalArgs(args)), 'any'),
  eq: fn(['value'], ([a, ...rest]) => eq(v(a), rest.map(v)), 'value'),
  ne: fn(['value', 'value'], ([a, b]) => !eq(v(a), [v(b)])),
  lt: fn(['value', 'value'], ([a, b]) => lt(v(a), v(b))),
  le: fn(['value', 'value'], ([a, b]) => lt(v(a), v(b)) || eq(v(a), [v(b)])),
  gt: fn(['value', 'value'], ([a, b]) => !(lt(v(a), v(b)) || eq(v(a), [v(b)]))),
  ge: fn(['value', 'value'], ([a, b]) => !lt(v(a), v(b))),
};

export { GoStruct };
