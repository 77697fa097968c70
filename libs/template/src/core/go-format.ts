import { GoNilPointer, GoStruct, GoUint, JsonNumber, goTypeName, isMap, kindOf, sortedKeys, type GoValue } from './go-value';
import { doubleQuote, hex } from './double-quote';

/**
 * A port of the parts of Go's `fmt` that templates reach: `%v` of every value kind,
 * Sprint/Sprintln spacing rules and Sprintf with flags, width, precision and Go's
 * `%!verb(type=value)` error notation.
 */

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form outside [1e-4, 1e6). */
export function formatFloatShortest(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 21 || exp >= 6) return `${mant}e${goExponent(exp)}`;
  // Plain form with the same shortest digits.
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= 0) {
    out = digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return negative ? `-${out}` : out;
}

function goExponent(exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return sign + (abs < 10 ? `0${abs}` : String(abs));
}

/** `%v` of a value; `depth` > 0 inside a container, where Go prints pointers as addresses. */
export function formatV(v: GoValue, depth = 0, plus = false): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloatShortest(v);
  }
  if (v instanceof JsonNumber) return v.text;
  if (v instanceof GoUint) return v.value.toString();
  if (v instanceof GoNilPointer) return '<nil>';
  if (v instanceof GoStruct) {
    if (v.pointer && depth > 0) return '0xc000010000';
    const parts: string[] = [];
    for (const [name, field] of v.fields) parts.push((plus ? `${name}:` : '') + formatV(field, depth + 1, plus));
    return `${v.pointer ? '&' : ''}{${parts.join(' ')}}`;
  }
  if (Array.isArray(v)) return `[${v.map((e) => formatV(e, depth + 1, plus)).join(' ')}]`;
  return `map[${sortedKeys(v)
    .map((k) => `${k}:${formatV(v[k], depth + 1, plus)}`)
    .join(' ')}]`;
}

const isStringKind = (v: GoValue): boolean => typeof v === 'string' || v instanceof JsonNumber;

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = arg !== null && arg !== undefined && isStringKind(arg);
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatV(arg);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => formatV(a)).join(' ') + '\n';
}

const GO_ESCAPES = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\x07', '\\a'],
  ['\b', '\\b'],
  ['\f', '\\f'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\v', '\\v'],
]);

/** strconv.Quote. */
export function goQuote(s: string): string {
  return doubleQuote(s, GO_ESCAPES, (c) => {
    if (isGoPrint(c)) return undefined;
    if (c < 0x80) return `\\x${hex(c, 2)}`;
    return c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
  });
}

const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]$/u;
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isGoPrint(c: number): boolean {
  if (c >= 0x20 && c < 0x7f) return true;
  if (c < 0xa1) return false;
  return PRINT_RE.test(String.fromCodePoint(c));
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined) return s;
  const len = [...s].length;
  if (len >= spec.width) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return (spec.zero && !numeric ? '0' : ' ').repeat(fill) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatV(v)})`;
}

function intText(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  switch (verb) {
    case 'd':
    case 'v':
      digits = abs.toString(10);
      break;
    case 'x':
      digits = abs.toString(16);
      if (spec.sharp) digits = '0x' + digits;
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) digits = '0X' + digits;
      break;
    case 'o':
      digits = abs.toString(8);
      if (spec.sharp) digits = '0' + digits;
      break;
    case 'O':
      digits = '0o' + abs.toString(8);
      break;
    case 'b':
      digits = abs.toString(2);
      break;
    default:
      digits = abs.toString(10);
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return sign + digits;
}

function floatText(f: number, verb: string, spec: Spec): string {
  if (!Number.isFinite(f)) {
    const s = Number.isNaN(f) ? 'NaN' : f > 0 ? (spec.plus ? '+Inf' : '+Inf') : '-Inf';
    return Number.isNaN(f) ? (spec.plus ? '+NaN' : 'NaN') : s;
  }
  let s: string;
  switch (verb) {
    case 'f':
    case 'F':
      s = f.toFixed(spec.prec ?? 6);
      break;
    case 'e':
    case 'E': {
      const [m, e] = f.toExponential(spec.prec ?? 6).split('e') as [string, string];
      s = `${m}e${goExponent(Number(e))}`;
      if (verb === 'E') s = s.toUpperCase();
      break;
    }
    case 'g':
    case 'G':
    case 'v':
      if (spec.prec === undefined) s = formatFloatShortest(f);
      else {
        const p = spec.prec === 0 ? 1 : spec.prec;
        const [m, e] = f.toExponential(p - 1).split('e') as [string, string];
        const exp = Number(e);
        if (exp < -4 || exp >= p) s = `${trimZeros(m)}e${goExponent(exp)}`;
        else s = trimZeros(f.toFixed(Math.max(0, p - 1 - exp)));
      }
      if (verb === 'G') s = s.toUpperCase();
      break;
    default:
      s = formatFloatShortest(f);
  }
  if (f >= 0 && !Object.is(f, -0)) s = (spec.plus ? '+' : spec.space ? ' ' : '') + s;
  return s;
}

function trimZeros(m: string): string {
  return m.includes('.') ? m.replace(/\.?0+$/, '') : m;
}

function formatOne(verb: string, v: GoValue, spec: Spec): string {
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : goTypeName(v), spec, false);
  if (verb === 'v' && spec.sharp) return pad(goSyntax(v), spec, false);
  if (v === null || v === undefined) return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, v);
  if (v instanceof JsonNumber) {
    // json.Number is a fmt.Stringer: %v %s %q %x %X print its text.
    if ('vsqxX'.includes(verb)) return formatOne(verb, v.text, spec);
    return badVerb(verb, v);
  }
  switch (typeof v) {
    case 'string':
      switch (verb) {
        case 'v':
        case 's':
          return pad(spec.prec !== undefined ? [...v].slice(0, spec.prec).join('') : v, spec, false);
        case 'q':
          return pad(spec.sharp && !v.includes('`') ? '`' + v + '`' : goQuote(v), spec, false);
        case 'x':
        case 'X': {
          const hex = Buffer.from(v, 'utf8').toString('hex');
          const bytes = spec.space ? hex.match(/../g)?.join(' ') ?? '' : hex;
          return pad(verb === 'X' ? bytes.toUpperCase() : bytes, spec, false);
        }
        default:
          return badVerb(verb, v);
      }
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), spec, false) : badVerb(verb, v);
    case 'bigint':
      switch (verb) {
        case 'v':
        case 'd':
        case 'x':
        case 'X':
        case 'o':
        case 'O':
        case 'b':
          return pad(intText(v, verb, spec), spec, true);
        case 'c':
          return pad(String.fromCodePoint(Number(v)), spec, false);
        case 'q':
          return pad(`'${goQuote(String.fromCodePoint(Number(v))).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`, spec, false);
        case 'U':
          return pad('U+' + v.toString(16).toUpperCase().padStart(4, '0'), spec, false);
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        default:
          return badVerb(verb, v);
      }
    case 'number':
      if ('vfFeEgG'.includes(verb)) return pad(floatText(v, verb, spec), spec, true);
      return badVerb(verb, v);
  }
  if (v instanceof GoUint) return 'vdxXob'.includes(verb) ? pad(intText(v.value, verb, spec), spec, true) : badVerb(verb, v);
  if (Array.isArray(v)) return `[${v.map((e) => formatOne(verb, e, { ...spec, width: spec.width })).join(' ')}]`;
  if (isMap(v)) {
    return `map[${sortedKeys(v)
      .map((k) => `${formatOne(verb, k, spec)}:${formatOne(verb, v[k], spec)}`)
      .join(' ')}]`;
  }
  if (v instanceof GoStruct) {
    if (verb === 'v' || verb === 's') return formatV(v, 0, spec.plus);
  }
  return badVerb(verb, v);
}

/** A best-effort `%#v` (Go syntax); exact only for scalars. */
function goSyntax(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (v instanceof JsonNumber) return goQuote(v.text);
  if (Array.isArray(v)) return `${goTypeName(v)}{${v.map(goSyntax).join(', ')}}`;
  if (isMap(v)) return `${goTypeName(v)}{${sortedKeys(v).map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
  return formatV(v);
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    flags: while (i < n) {
      switch (format[i]) {
        case '-':
          spec.minus = true;
          spec.zero = false;
          break;
        case '+':
          spec.plus = true;
          break;
        case '#':
          spec.sharp = true;
          break;
        case ' ':
          spec.space = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
      i++;
    }
    if (format[i] === '*') {
      const w = args[argIndex++];
      spec.width = typeof w === 'bigint' ? Number(w) : undefined;
      if (spec.width !== undefined && spec.width < 0) {
        spec.minus = true;
        spec.width = -spec.width;
      }
      i++;
    } else {
      let w = '';
      while (i < n && format[i]! >= '0' && format[i]! <= '9') w += format[i++];
      if (w) spec.width = Number(w);
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        const p = args[argIndex++];
        spec.prec = typeof p === 'bigint' ? Number(p) : undefined;
        i++;
      } else {
        let p = '';
        while (i < n && format[i]! >= '0' && format[i]! <= '9') p += format[i++];
        spec.prec = p ? Number(p) : 0;
      }
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argIndex++], spec);
  }
  if (argIndex < args.length) {
    out += '%!(EXTRA ' + args.slice(argIndex).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatV(a)}`)).join(', ') + ')';
  }
  return out;
}

/** Kind name for messages ("string", "int"...). */
export const kindName = kindOf;
