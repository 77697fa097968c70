import { formatFloatShortest } from './go-format';
import { GoInt64, GoNilPointer, GoStruct, GoUint, JsonNumber, isMap, kindOf, mapKey, type GoValue } from './go-value';
import { hex } from './double-quote';

/**
 * gopkg.in/yaml.v2 Marshal for the values templates produce: block style, sorted keys,
 * sequences not indented under their key, strings quoted only where yaml.v2 quotes them
 * (double quotes when the plain text would read as another type, single quotes when the
 * emitter refuses plain style, literal blocks for multi-line text).
 */
export function encodeYaml(v: GoValue): string {
  const lines: string[] = [];
  node(v, 0, lines, 'top');
  return lines.join('\n') + '\n';
}

type Ctx = 'top' | 'map' | 'seq';

function node(v: GoValue, indent: number, lines: string[], ctx: Ctx): void {
  // Scalars at top level.
  const pad = ' '.repeat(indent);
  if (isCollection(v)) {
    if (Array.isArray(v)) {
      for (const e of v) {
        if (isCollection(e) && !isEmpty(e)) {
          const sub: string[] = [];
          node(e, indent + 2, sub, 'seq');
          const first = sub[0] ?? '';
          lines.push(`${pad}- ${first.slice(indent + 2)}`, ...sub.slice(1));
        } else {
          lines.push(...inline(`${pad}- `, e, indent + 2));
        }
      }
      return;
    }
    for (const [k, e] of entries(v)) {
      const key = scalar(k, true);
      if (isCollection(e) && !isEmpty(e)) {
        lines.push(`${pad}${key}:`);
        node(e, Array.isArray(e) ? indent : indent + 2, lines, 'map');
      } else {
        lines.push(...inline(`${pad}${key}: `, e, indent + 2));
      }
    }
    return;
  }
  lines.push(...inline(pad, v, indent));
  void ctx;
}

function inline(prefix: string, v: GoValue, indent: number): string[] {
  if (isCollection(v)) return [prefix + (Array.isArray(v) ? '[]' : '{}')];
  if (typeof v === 'string' && v.includes('\n') && analyze(v).blockAllowed) {
    const trailing = /\n+$/.exec(v)?.[0].length ?? 0;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const indicator = /^[ \n]/.test(v) ? '2' : '';
    const body = trailing > 0 ? v.slice(0, v.length - 1) : v;
    const pad = ' '.repeat(Math.max(indent, 2));
    const blockPad = indent === 0 ? '  ' : pad;
    return [`${prefix}|${indicator}${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : blockPad + l))];
  }
  // The emitter folds long scalars at spaces past column 80, continuing at the scalar's indent.
  return (prefix + scalar(v, false, [...prefix].length, Math.max(indent, 2))).split('\n');
}

/** yaml.v2 emitter's is_printable: 1-3 byte UTF-8 it knows, minus U+FEFF, U+FFFE, U+FFFF, C0 and C1 controls. */
const NOT_PRINTABLE = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/u;
const BREAK = /[\n\r\u0085\u2028\u2029]/;

interface Analysis {
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** yaml_emitter_analyze_scalar (block context). */
function analyze(value: string): Analysis {
  if (value.length === 0) return { blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const chars = [...value];
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let special = false;
  let leadingSpace = false;
  let trailingSpace = false;
  let leadingBreak = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let lineBreaks = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) blockIndicators = true;
    if (NOT_PRINTABLE.test(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAK.test(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === ' ' || c === '\t' || BREAK.test(c) || c === '\0';
  }
  let blockPlainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks || blockIndicators);
  const singleQuotedAllowed = !(breakSpace || spaceBreak || special);
  const blockAllowed = !(trailingSpace || spaceBreak || special);
  if (value.length === 0) blockPlainAllowed = false;
  return { blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

function isCollection(v: GoValue): v is GoValue[] | { [k: string]: GoValue } | GoStruct {
  return Array.isArray(v) || isMap(v) || v instanceof GoStruct;
}
function isEmpty(v: GoValue): boolean {
  return Array.isArray(v) ? v.length === 0 : entries(v).length === 0;
}
function entries(v: GoValue): [GoValue, GoValue][] {
  if (v instanceof GoStruct) return [...v.fields.entries()].map(([k, e]) => [k.toLowerCase(), e]);
  if (isMap(v)) {
    return Object.keys(v)
      .map((k): [GoValue, GoValue] => [mapKey(v, k), v[k]])
      .sort(([a], [b]) => keyLess(a, b));
  }
  return [];
}

// reflect.Kind numbers, which yaml.v2's sorter compares when key types differ.
const KIND_NUMBER: Record<string, number> = { bool: 1, int: 2, uint: 11, float: 14, nil: 20, string: 24 };
/** sorter.go keyList.Less: numbers and bools by value (then kind), other kinds by kind, strings naturally. */
function keyLess(a: GoValue, b: GoValue): number {
  const num = (v: GoValue): number | undefined =>
    typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : v instanceof GoUint || v instanceof GoInt64 ? Number(v.value) : undefined;
  const [af, bf] = [num(a), num(b)];
  const [ak, bk] = [KIND_NUMBER[kindOf(a ?? null)] ?? 25, KIND_NUMBER[kindOf(b ?? null)] ?? 25];
  if (af !== undefined && bf !== undefined) {
    if (af !== bf) return af < bf ? -1 : 1;
    if (ak !== bk) return ak - bk;
    return 0;
  }
  if (typeof a !== 'string' || typeof b !== 'string') return ak - bk;
  return naturalCompare(a, b);
}

function scalar(v: GoValue, isKey: boolean, column = 0, indent = 2): string {
  if (v === null || v === undefined || v instanceof GoNilPointer) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return yamlFloat(v);
    case 'string':
      return yamlString(v, isKey, column, indent);
  }
  if (v instanceof GoUint || v instanceof GoInt64) return v.value.toString();
  if (v instanceof JsonNumber) {
    // yaml.v2 marshals a json.Number as its Int64(), else its Float64(), else its text.
    if (/^-?\d+$/.test(v.text) && BigInt(v.text) <= 9223372036854775807n && BigInt(v.text) >= -9223372036854775808n) return BigInt(v.text).toString();
    const f = Number(v.text);
    if (v.text !== '' && !Number.isNaN(f)) return yamlFloat(f);
    return yamlString(v.text, isKey, column, indent);
  }
  return 'null';
}

function yamlFloat(f: number): string {
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (Number.isNaN(f)) return '.nan';
  return formatFloatShortest(f);
}

const RESOLVE_MAP = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);
const GO_INT = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{1,2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;

/** yaml.v2 resolve.go: whether plain text would read back as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  const hint = s === '' ? 'M' : resolveHint(s.charCodeAt(0));
  if (hint === '') return false;
  if (RESOLVE_MAP.has(s)) return true;
  if (hint === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (hint !== 'D') return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replace(/_/g, '');
  if (GO_INT.test(plain)) return true; // int64 or, past its range, uint64: both resolve to !!int
  if (YAML_FLOAT.test(plain)) return Number.isFinite(Number(plain));
  return /^-?0b[01]+$/.test(plain);
}

function resolveHint(c: number): string {
  if (c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'D';
  if ('yYnNtTfFoO~'.includes(String.fromCharCode(c))) return 'M';
  if (c === 0x2e) return '.';
  return '';
}

/** sorter.go keyList.Less for string keys: letters after non-letters, digit runs by value. */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)! ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)! ? -1 : 1;
  }
  return ar.length < br.length ? -1 : 1;
}

/** encoder.stringv + select_scalar_style: plain if it reads back as a string and the emitter allows it, else single, else double quotes. */
function yamlString(s: string, isKey: boolean, column: number, indent: number): string {
  const allowBreaks = !isKey;
  if (resolvesToNonString(s) || BASE60_FLOAT.test(s)) return doubleQuoted(s, column, indent, allowBreaks);
  const a = analyze(s);
  if (s.includes('\n') && !isKey) return doubleQuoted(s, column, indent, allowBreaks); // block style refused by the caller
  if (a.blockPlainAllowed && !(isKey && s === '')) return folded(s, column, indent, allowBreaks, 'plain');
  if (a.singleQuotedAllowed) return singleQuoted(s, column, indent, allowBreaks);
  return doubleQuoted(s, column, indent, allowBreaks);
}

type Style = 'plain' | 'single' | 'double';

/**
 * The emitter's writers for plain, single- and double-quoted scalars: past column 80 a
 * single space becomes a line break and the indent (quoted styles never at their ends;
 * double quotes escape a following space with a backslash). `escape` gives the text of a
 * character that must be escaped.
 */
function folded(s: string, column: number, indent: number, allowBreaks: boolean, style: Style, escape?: (c: string) => string | undefined): string {
  const chars = [...s];
  let out = '';
  let col = column;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const esc = escape?.(c);
    if (esc !== undefined) {
      out += esc;
      col += esc.length;
      spaces = false;
    } else if (c === ' ') {
      const inside = style === 'plain' || (i > 0 && i < chars.length - 1);
      const nextAllows = style === 'double' || chars[i + 1] !== ' ';
      if (allowBreaks && !spaces && col > 80 && inside && nextAllows) {
        out += '\n' + ' '.repeat(indent);
        col = indent;
        if (style === 'double' && chars[i + 1] === ' ') {
          out += '\\';
          col++;
        }
      } else {
        out += c;
        col++;
      }
      spaces = true;
    } else {
      out += c;
      col++;
      spaces = false;
    }
  }
  return out;
}

/** write_single_quoted: quotes doubled, folding as plain, a non-\\n line break followed by the indent. */
function singleQuoted(s: string, column: number, indent: number, allowBreaks: boolean): string {
  const escaped = s.replace(/'/g, "''");
  const body = folded(escaped, column + 1, indent, allowBreaks, 'single');
  return `'${body.replace(/([\r\u0085\u2028\u2029])(?=.)/gsu, `$1${' '.repeat(indent)}`)}'`;
}

const YAML_ESCAPES: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 34: '"', 92: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };

/** write_double_quoted, including its quirk that a leading BOM escapes every character. */
function doubleQuoted(s: string, column: number, indent: number, allowBreaks: boolean): string {
  const bom = s.startsWith('\ufeff');
  const escape = (c: string): string | undefined => {
    if (!(bom || NOT_PRINTABLE.test(c) || BREAK.test(c) || c === '"' || c === '\\')) return undefined;
    const code = c.codePointAt(0)!;
    const named = YAML_ESCAPES[code];
    if (named !== undefined) return `\\${named}`;
    return code <= 0xff ? `\\x${hex(code, 2, true)}` : code <= 0xffff ? `\\u${hex(code, 4, true)}` : `\\U${hex(code, 8, true)}`;
  };
  return `"${folded(s, column + 1, indent, allowBreaks, 'double', escape)}"`;
}
