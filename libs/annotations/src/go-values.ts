/**
 * Parsers with Go's semantics for the value types vault-k8s reads, so a value means here what
 * it meant there. Each returns undefined for a value Go would reject. Every one is a single
 * left-to-right scan (no backtracking regular expression): annotation values come from anyone
 * who can create a pod, and the webhook must answer in time linear in their length.
 */

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * strconv.ParseBool as vault-k8s calls it (through parseutil/mapstructure WeakDecode, which
 * also reads the empty string as false).
 */
export function parseGoBool(raw: string): boolean | undefined {
  if (GO_TRUE.has(raw)) return true;
  if (GO_FALSE.has(raw) || raw === '') return false;
  return undefined;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Index of the first non-digit at or after `from`. */
function digitsEnd(raw: string, from: number): number {
  let i = from;
  while (i < raw.length && isDigit(raw.charCodeAt(i))) i++;
  return i;
}

/** `[+-]?\d+` split into sign and digits without leading zeros, or undefined. */
function signedDigits(raw: string, signed: boolean): { negative: boolean; digits: string } | undefined {
  let start = 0;
  const first = raw.charCodeAt(0);
  if (signed && (first === 43 || first === 45)) start = 1; // + -
  if (start >= raw.length || digitsEnd(raw, start) !== raw.length) return undefined;
  let significant = start;
  while (significant < raw.length - 1 && raw.charCodeAt(significant) === 48) significant++;
  return { negative: first === 45 && signed, digits: raw.slice(significant) };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(raw, 10, 64); parseutil.ParseInt also reads '' as 0 when `emptyIsZero`. */
export function parseGoInt(raw: string, emptyIsZero = false): bigint | undefined {
  if (raw === '' && emptyIsZero) return 0n;
  const parsed = signedDigits(raw, true);
  // More than 19 significant digits is out of int64 range: no BigInt of an unbounded string.
  if (!parsed || parsed.digits.length > 19) return undefined;
  const value = parsed.negative ? -BigInt(parsed.digits) : BigInt(parsed.digits);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** strconv.ParseUint(raw, 10, 64). */
export function parseGoUint(raw: string): bigint | undefined {
  const parsed = signedDigits(raw, false);
  if (!parsed || parsed.digits.length > 20) return undefined;
  const value = BigInt(parsed.digits);
  return value > UINT64_MAX ? undefined : value;
}

/**
 * A decimal float as strconv.ParseFloat reads it: `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` (no
 * hex, inf or NaN: none is a useful value here).
 */
export function parseDecimalFloat(raw: string): number | undefined {
  let i = 0;
  if (raw[i] === '+' || raw[i] === '-') i++;
  const wholeEnd = digitsEnd(raw, i);
  let digits = wholeEnd - i;
  i = wholeEnd;
  if (raw[i] === '.') {
    const fractionEnd = digitsEnd(raw, i + 1);
    digits += fractionEnd - i - 1;
    i = fractionEnd;
  }
  if (digits === 0) return undefined;
  if (raw[i] === 'e' || raw[i] === 'E') {
    i++;
    if (raw[i] === '+' || raw[i] === '-') i++;
    const exponentEnd = digitsEnd(raw, i);
    if (exponentEnd === i) return undefined;
    i = exponentEnd;
  }
  return i === raw.length ? Number(raw) : undefined;
}

/** Nanoseconds per unit of time.ParseDuration. */
const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['ns', 1], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9],
];
const MAX_DURATION_NS = 2 ** 63 - 1;

/** Whether time.ParseDuration accepts the value (`300ms`, `1h30m`, `0`), including its range. */
export function isGoDuration(raw: string): boolean {
  let i = 0;
  if (raw[i] === '+' || raw[i] === '-') i++;
  if (raw.slice(i) === '0') return true;
  if (i === raw.length) return false;
  let total = 0;
  while (i < raw.length) {
    const wholeEnd = digitsEnd(raw, i);
    let number = raw.slice(i, wholeEnd);
    let digits = wholeEnd - i;
    i = wholeEnd;
    if (raw[i] === '.') {
      const fractionEnd = digitsEnd(raw, i + 1);
      digits += fractionEnd - i - 1;
      number += raw.slice(i, fractionEnd);
      i = fractionEnd;
    }
    if (digits === 0) return false;
    // Units are tried longest first so `ms` is not read as `m` followed by `s`.
    const unit = DURATION_UNITS.filter(([name]) => raw.startsWith(name, i)).sort((a, b) => b[0].length - a[0].length)[0];
    if (!unit) return false;
    i += unit[0].length;
    total += Number(number) * unit[1];
    if (!(total <= MAX_DURATION_NS)) return false;
  }
  return true;
}
