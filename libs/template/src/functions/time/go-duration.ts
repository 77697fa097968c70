/** Go's time.Duration (int64 nanoseconds): ParseDuration, String and Round. */

export const SECOND = 1_000_000_000n;
const MAX_U = 1n << 63n;
const UNITS = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1000n],
  ['µs', 1000n],
  ['μs', 1000n],
  ['ms', 1_000_000n],
  ['s', SECOND],
  ['m', 60n * SECOND],
  ['h', 3600n * SECOND],
]);

/** time's quote(): ASCII kept (with `"` and `\` escaped), other bytes as \xNN. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (code >= 0x80 || code < 0x20) {
      for (const b of Buffer.from(c, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else out += (c === '"' || c === '\\' ? '\\' : '') + c;
  }
  return out + '"';
}

/** time.ParseDuration; throws an Error with Go's `time: ...` text. */
export function parseGoDuration(orig: string): bigint {
  const fail = (what: string): Error => new Error(`time: ${what} ${timeQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw fail('invalid duration');
  let d = 0n;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) throw fail('invalid duration');
    const intDigits = /^[0-9]*/.exec(s)![0];
    let v = 0n;
    for (const c of intDigits) {
      if (v > MAX_U / 10n) throw fail('invalid duration');
      v = v * 10n + BigInt(c);
      if (v > MAX_U) throw fail('invalid duration');
    }
    s = s.slice(intDigits.length);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s.startsWith('.')) {
      s = s.slice(1);
      const fracDigits = /^[0-9]*/.exec(s)![0];
      let overflow = false;
      for (const c of fracDigits) {
        if (overflow) continue;
        if (f > (MAX_U - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c);
        if (y > MAX_U) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = fracDigits.length > 0;
      s = s.slice(fracDigits.length);
    }
    if (intDigits.length === 0 && !post) throw fail('invalid duration');
    const unitText = /^[^0-9.]*/.exec(s)![0];
    if (unitText === '') throw fail('missing unit in duration');
    s = s.slice(unitText.length);
    const unit = UNITS.get(unitText);
    if (unit === undefined) throw new Error(`time: unknown unit ${timeQuote(unitText)} in duration ${timeQuote(orig)}`);
    if (v > MAX_U / unit) throw fail('invalid duration');
    v *= unit;
    if (f > 0n) {
      // float64, as Go computes it, to be nanosecond accurate for fractions of hours
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX_U) throw fail('invalid duration');
    }
    d += v;
    if (d > MAX_U) throw fail('invalid duration');
  }
  if (neg) return -d;
  if (d > MAX_U - 1n) throw fail('invalid duration');
  return d;
}

/** Duration.String: `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatGoDuration(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const [frac, rest] = fraction(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, rest] = fraction(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** fmtFrac: the `prec` low digits as a fraction without trailing zeros, and what is left. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) digits = String(digit) + digits;
    v /= 10n;
  }
  return [print ? `.${digits}` : '', v];
}

/** Duration.Round(m) for m > 0, saturating as Go does. */
export function roundGoDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  const lessThanHalf = (x: bigint): boolean => x + x < m;
  if (d < 0n) {
    r = -r;
    if (lessThanHalf(r)) return d + r;
    const d1 = d - m + r;
    return d1 < -MAX_U ? -MAX_U : d1;
  }
  if (lessThanHalf(r)) return d - r;
  const d1 = d + m - r;
  return d1 > MAX_U - 1n ? MAX_U - 1n : d1;
}
