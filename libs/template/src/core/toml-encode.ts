import { GoInt64, GoNilPointer, GoStruct, GoUint, JsonNumber, isMap, type GoValue } from './go-value';
import { doubleQuote, hex } from './double-quote';

/**
 * BurntSushi/toml v1.3 Encoder output: direct keys before sub-tables (each group sorted),
 * a blank line before top-level tables, two-space indentation per nesting level,
 * `[[x]]` for slices of tables, nil values skipped.
 */
export function encodeToml(v: GoValue): string {
  // BurntSushi writes a top-level non-table value as a bare element.
  if (!(isMap(v) || v instanceof GoStruct)) return element(v);
  const enc = new TomlWriter();
  enc.table([], v);
  return enc.out;
}

const INDENT = '  ';

function entriesOf(v: GoValue): [string, GoValue][] {
  if (v instanceof GoStruct) return [...v.fields.entries()];
  if (isMap(v)) return Object.keys(v).map((k) => [k, v[k]]);
  return [];
}
const isTable = (v: GoValue): boolean => isMap(v) || v instanceof GoStruct;
const isArrayOfTables = (v: GoValue): boolean => Array.isArray(v) && v.length > 0 && v.every(isTable);

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

class TomlWriter {
  out = '';

  private newline(): void {
    if (this.out.length > 0) this.out += '\n';
  }

  table(key: string[], v: GoValue): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.out += `${INDENT.repeat(key.length - 1)}[${key.map(quoteKey).join('.')}]`;
      this.newline();
    }
    this.mapBody(key, v);
  }

  private mapBody(key: string[], v: GoValue): void {
    const direct: [string, GoValue][] = [];
    const sub: [string, GoValue][] = [];
    for (const e of entriesOf(v)) (isTable(e[1]) || isArrayOfTables(e[1]) ? sub : direct).push(e);
    direct.sort((a, b) => byteOrder(a[0], b[0]));
    sub.sort((a, b) => byteOrder(a[0], b[0]));
    for (const [k, e] of [...direct, ...sub]) this.encode([...key, k], e);
  }

  private encode(key: string[], v: GoValue): void {
    if (v === null || v === undefined || v instanceof GoNilPointer) return;
    if (isTable(v)) {
      this.table(key, v);
      return;
    }
    if (isArrayOfTables(v)) {
      for (const t of v as GoValue[]) {
        if (key.length === 1) this.newline();
        this.out += `${INDENT.repeat(key.length - 1)}[[${key.map(quoteKey).join('.')}]]`;
        this.newline();
        this.mapBody(key, t);
      }
      return;
    }
    this.out += `${INDENT.repeat(key.length - 1)}${quoteKey(key[key.length - 1]!)} = ${element(v)}`;
    this.newline();
  }
}

function element(v: GoValue): string {
  if (v === null || v === undefined || v instanceof GoNilPointer) throw new Error('toml: cannot encode a nil value in an array');
  switch (typeof v) {
    case 'string':
      return quoteString(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'number':
      return tomlFloat(v);
  }
  if (v instanceof GoUint || v instanceof GoInt64) return v.value.toString();
  if (v instanceof JsonNumber) {
    if (v.text === '') return '0';
    if (/^-?\d+$/.test(v.text) && BigInt(v.text) <= 9223372036854775807n && BigInt(v.text) >= -9223372036854775808n) return BigInt(v.text).toString();
    return tomlFloat(Number(v.text));
  }
  if (Array.isArray(v)) return `[${v.map(element).join(', ')}]`;
  // Inline table (inside an array).
  const parts = entriesOf(v)
    .sort((a, b) => byteOrder(a[0], b[0]))
    .filter(([, e]) => e !== null && e !== undefined)
    .map(([k, e]) => `${quoteKey(k)} = ${element(e)}`);
  return `{${parts.join(', ')}}`;
}

function tomlFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (f === Infinity) return 'inf';
  if (f === -Infinity) return '-inf';
  let s = formatFixedShortest(f);
  if (!s.includes('.')) s += '.0';
  return s;
}

/** strconv.FormatFloat(f, 'f', -1, 64). */
function formatFixedShortest(f: number): string {
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= 0) out = digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits + '0'.repeat(exp + 1 - digits.length);
  else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return neg ? `-${out}` : out;
}

function quoteKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : quoteString(k);
}

const TOML_ESCAPES = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\b', '\\b'],
  ['\t', '\\t'],
  ['\n', '\\n'],
  ['\f', '\\f'],
  ['\r', '\\r'],
]);

function quoteString(s: string): string {
  return doubleQuote(s, TOML_ESCAPES, (c) => (c < 0x20 || c === 0x7f ? `\\u${hex(c, 4)}` : undefined));
}
