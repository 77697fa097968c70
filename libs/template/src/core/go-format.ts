import { GoChan, GoInt64, GoNilPointer, GoObject, GoStruct, GoUint, JsonNumber, goBytes, goTypeName, intValue, isMap, kindOf, mapKey, sortedKeys, type GoValue } from './go-value';
import { doubleQuote, hex } from './double-quote';
import { formatFixed, significantDigits } from './float-decimal';

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
  if (v instanceof GoUint || v instanceof GoInt64) return v.value.toString();
  if (v instanceof GoNilPointer) return '<nil>';
  if (v instanceof GoObject && v.traits.text) return v.traits.text(); // a fmt.Stringer
  if (v instanceof GoChan || v instanceof GoObject) return '0xc000100000'; // an address in Go: never reproducible
  if (v instanceof GoStruct) {
    if (v.pointer && depth > 0) return '0xc000010000';
    const parts: string[] = [];
    for (const [name, field] of v.fields) parts.push((plus ? `${name}:` : '') + formatV(field, depth + 1, plus));
    return `${v.pointer ? '&' : ''}{${parts.join(' ')}}`;
  }
  if (Array.isArray(v)) return `[${v.map((e) => formatV(e, depth + 1, plus)).join(' ')}]`;
  return `map[${sortedKeys(v)
    .map((k) => `${formatV(mapKey(v, k), depth + 1, plus)}:${formatV(v[k], depth + 1, plus)}`)
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
    if (c >= 0xdc80 && c <= 0xdcff) return `\\x${hex(c - 0xdc00, 2)}`; // a byte that is not UTF-8 (goBytes)
    if (isGoPrint(c)) return undefined;
    if (c < 0x80) return `\\x${hex(c, 2)}`;
    return c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
  });
}

/** strconv.QuoteToASCII (`%+q`): non-ASCII as \\u / \\U escapes. */
export function goQuoteASCII(s: string): string {
  return doubleQuote(s, GO_ESCAPES, (c) => {
    if (c >= 0xdc80 && c <= 0xdcff) return `\\x${hex(c - 0xdc00, 2)}`;
    if (c < 0x80 && isGoPrint(c)) return undefined;
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

/** fmt's badVerb: `%!verb(type=value)`, the value printed as %v with the same flags, width and precision. */
function badVerb(verb: string, v: GoValue, spec: Spec): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatOne('v', v, spec, true)})`;
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
      if (spec.sharp) digits = '0b' + digits;
      break;
    default:
      digits = abs.toString(10);
  }
  if (spec.prec !== undefined) {
    // Precision is a minimum digit count; a zero value with precision 0 prints nothing.
    const prefix = /^0[xXbo]/.test(digits) ? digits.slice(0, 2) : '';
    const body = digits.slice(prefix.length);
    digits = spec.prec === 0 && abs === 0n ? '' : prefix + body.padStart(spec.prec, '0');
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return sign + digits;
}

function floatText(f: number, verb: string, spec: Spec): string {
  if (!Number.isFinite(f)) {
    if (Number.isNaN(f)) return spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN';
    return f > 0 ? (spec.plus ? '+Inf' : spec.space ? ' Inf' : '+Inf') : '-Inf';
  }
  const negative = f < 0 || Object.is(f, -0);
  const abs = Math.abs(f);
  let s: string;
  switch (verb) {
    case 'f':
    case 'F':
      s = formatFixed(abs, spec.prec ?? 6);
      break;
    case 'e':
    case 'E':
      s = expForm(abs, (spec.prec ?? 6) + 1, spec.prec ?? 6);
      break;
    case 'g':
    case 'G':
    case 'v':
      s = spec.prec === undefined ? formatFloatShortest(abs) : generalForm(abs, spec.prec === 0 ? 1 : spec.prec, spec.sharp);
      break;
    default:
      s = formatFloatShortest(abs);
  }
  if (verb === 'E' || verb === 'G') s = s.toUpperCase();
  return (negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + s;
}

/** strconv.FormatFloat(f, 'x', -1, 64): 0x1.8p+01 (shortest hexadecimal mantissa, exponent of at least two digits). */
function hexFloat(f: number, upper: boolean, spec: Spec): string {
  const sign = f < 0 || Object.is(f, -0) ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  if (!Number.isFinite(f)) return floatText(f, 'g', spec);
  let text = hexFloatDigits(Math.abs(f), spec.prec ?? -1, upper);
  if (spec.sharp) text = sharpFloat(text, spec.prec ?? -1);
  return sign + text;
}

/** strconv's fmtX: `0x1.8p+00`, the mantissa rounded half to even to `prec` hex digits (all when -1). */
function hexFloatDigits(abs: number, prec: number, upper: boolean): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  const MASK = (1n << 60n) - 1n;
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & MASK;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  let out = `0x${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = (): string => ((mant >> 60n) & 15n).toString(16);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += digit();
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += digit();
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  const e = Math.abs(exp);
  out += `p${exp < 0 ? '-' : '+'}${e < 100 ? String(e).padStart(2, '0') : String(e)}`;
  return upper ? out.toUpperCase() : out;
}

/** fmt's `#` flag on %x of a float: keep a point and pad to `prec` (default 6) significant digits, counted as Go counts them. */
function sharpFloat(num: string, prec: number): string {
  let digits = prec === -1 ? 6 : prec;
  let tail = '';
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 0; i < num.length; i++) {
    const c = num[i]!;
    if (c === '.') hasPoint = true;
    else if (c === 'p' || c === 'P') {
      tail = num.slice(i);
      num = num.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (num === '0') digits--;
    num += '.';
  }
  return num + '0'.repeat(Math.max(0, digits)) + tail;
}

/** d.ddde±xx with `n` significant digits and `frac` of them after the point. */
function expForm(abs: number, n: number, frac: number): string {
  const { digits, exp } = significantDigits(abs, n);
  return `${digits[0]}${frac > 0 ? '.' + digits.slice(1, 1 + frac) : ''}e${goExponent(exp)}`;
}

/** strconv's %g with a precision: rounded to `prec` digits, trailing zeros dropped, %e outside [1e-4, 10^prec). */
function generalForm(abs: number, prec: number, sharp: boolean): string {
  const r = significantDigits(abs, prec);
  const digits = sharp ? r.digits : r.digits.replace(/(?<=.)0+$/, '');
  const nd = abs === 0 ? 1 : digits.length;
  const dp = r.exp + 1;
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (r.exp < -4 || r.exp >= eprec) return `${digits[0]}${nd > 1 ? '.' + digits.slice(1) : ''}e${goExponent(r.exp)}`;
  if (dp <= 0) return `0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= nd) return digits + '0'.repeat(dp - nd);
  return `${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

function formatOne(verb: string, v: GoValue, spec: Spec, nested = false): string {
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : goTypeName(v), spec, false);
  if (verb === 'v' && spec.sharp) return pad(goSyntax(v), spec, false);
  // A nil inside a slice or map prints <nil> under every verb; a nil operand is a bad verb.
  if (v === null || v === undefined) return verb === 'v' || nested ? pad('<nil>', spec, false) : badVerb(verb, v, spec);
  if (v instanceof JsonNumber) {
    // json.Number is a fmt.Stringer: %v %s %q %x %X print its text.
    if ('vsqxX'.includes(verb)) return formatOne(verb, v.text, spec);
    return badVerb(verb, v, spec);
  }
  const int = intValue(v);
  if (int !== undefined) return formatInt(verb, int, v, spec);
  switch (typeof v) {
    case 'string':
      return formatString(verb, v, spec);
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), spec, false) : badVerb(verb, v, spec);
    case 'number':
      if ('vfFeEgG'.includes(verb)) return pad(floatText(v, verb, spec), spec, true);
      if (verb === 'x' || verb === 'X') return pad(hexFloat(v, verb === 'X', spec), spec, true);
      return badVerb(verb, v, spec);
  }
  if (v instanceof GoUint) return 'vdxXobO'.includes(verb) ? pad(intText(v.value, verb, spec), spec, true) : badVerb(verb, v, spec);
  if (Array.isArray(v)) return `[${v.map((e) => formatOne(verb, e, spec, true)).join(' ')}]`;
  if (isMap(v)) {
    return `map[${sortedKeys(v)
      .map((k) => `${formatOne(verb, mapKey(v, k), spec, true)}:${formatOne(verb, v[k], spec, true)}`)
      .join(' ')}]`;
  }
  if (v instanceof GoNilPointer) return verb === 'v' || verb === 's' ? pad('<nil>', spec, false) : badVerb(verb, v, spec);
  // handleMethods: a fmt.Stringer is printed through String() under %v %s %q %x %X.
  if (v instanceof GoObject && v.traits.text && 'vsqxX'.includes(verb)) return formatString(verb, v.traits.text(), spec);
  if (v instanceof GoStruct) {
    if (verb === 'v' || verb === 's') return formatV(v, 0, spec.plus);
  }
  // %v prints every value; only other verbs can be bad (badVerb prints the operand with %v).
  return verb === 'v' ? pad(formatV(v, 0, spec.plus), spec, false) : badVerb(verb, v, spec);
}

function formatString(verb: string, v: string, spec: Spec): string {
  switch (verb) {
    case 'v':
    case 's':
      return pad(spec.prec !== undefined ? [...v].slice(0, spec.prec).join('') : v, spec, false);
    case 'q':
      if (spec.sharp && !v.includes('`') && [...v].every((c) => c === '\t' || isGoPrint(c.codePointAt(0)!))) return pad('`' + v + '`', spec, false);
      return pad(spec.plus ? goQuoteASCII(v) : goQuote(v), spec, false);
    case 'x':
    case 'X': {
      // fmtSbx: bytes in hex; `#` adds 0x (per byte with a space flag), ' ' separates bytes.
      const bytes = goBytes(spec.prec !== undefined ? [...v].slice(0, spec.prec).join('') : v);
      const prefix = spec.sharp ? (verb === 'X' ? '0X' : '0x') : '';
      let hexText = bytes.toString('hex');
      if (verb === 'X') hexText = hexText.toUpperCase();
      const pairs = hexText.match(/../g) ?? [];
      const out = spec.space ? pairs.map((p) => prefix + p).join(' ') : pairs.length > 0 ? prefix + hexText : '';
      return pad(out, spec, false);
    }
    default:
      return badVerb(verb, v, spec);
  }
}

function formatInt(verb: string, n: bigint, v: GoValue, spec: Spec): string {
  switch (verb) {
    case 'v':
    case 'd':
    case 'x':
    case 'X':
    case 'o':
    case 'O':
    case 'b':
      return pad(intText(n, verb, spec), spec, true);
    case 'c':
      return pad(runeText(n), spec, false);
    case 'q': {
      const quoted = spec.plus ? goQuoteASCII(runeText(n)) : goQuote(runeText(n));
      return pad(`'${quoted.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`, spec, false);
    }
    case 'U': {
      const u = 'U+' + n.toString(16).toUpperCase().padStart(spec.prec ?? 4, '0');
      const r = runeText(n);
      return pad(spec.sharp && isGoPrint(r.codePointAt(0)!) ? `${u} '${r}'` : u, spec, false);
    }
    default:
      return badVerb(verb, v, spec);
  }
}

/** A rune as text; invalid code points are U+FFFD as in Go. */
function runeText(n: bigint): string {
  return n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn) ? '\ufffd' : String.fromCodePoint(Number(n));
}

/** A best-effort `%#v` (Go syntax); exact only for scalars. */
/** `%#v`: Go-syntax representation. */
export function goSyntax(v: GoValue, nested = false): string {
  // A nil element of an interface container is a typed nil there: `interface {}(nil)`.
  if (v === null || v === undefined) return nested ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (v instanceof JsonNumber) return goQuote(v.text);
  if (v instanceof GoUint) return `0x${v.value.toString(16)}`;
  if (Array.isArray(v)) return `${goTypeName(v)}{${v.map((e) => goSyntax(e, true)).join(', ')}}`;
  if (isMap(v)) return `${goTypeName(v)}{${sortedKeys(v).map((k) => `${goSyntax(mapKey(v, k), true)}:${goSyntax(v[k], true)}`).join(', ')}}`;
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
      const wi = intValue(w ?? null);
      spec.width = wi !== undefined && wi <= 1000000n && wi >= -1000000n ? Number(wi) : undefined;
      if (spec.width === undefined) out += '%!(BADWIDTH)';
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
        const pi = intValue(p ?? null);
        spec.prec = pi !== undefined && pi <= 1000000n && pi >= -1000000n ? Number(pi) : undefined;
        if (spec.prec === undefined) out += '%!(BADPREC)';
        else if (spec.prec < 0) spec.prec = undefined;
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
