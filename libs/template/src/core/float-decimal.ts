/**
 * Fixed-precision float formatting as Go's strconv does it: the exact decimal value of the
 * double, rounded half-to-even (so `%.0f` of 2.5 is 2 and `%.2f` of 0.125 is 0.12, where
 * JavaScript's toFixed rounds ties up), with no exponent cut-over at 1e21.
 */

/** The exact value of a finite, non-negative double as `digits / 10^scale`. */
function exactDecimal(f: number): { digits: string; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) return { digits: (mant << BigInt(exp)).toString(), scale: 0 };
  return { digits: (mant * 5n ** BigInt(-exp)).toString(), scale: -exp };
}

/** Rounds a digit string to `keep` leading digits, half to even; returns the digits and a carry flag. */
function roundDigits(digits: string, keep: number): { digits: string; carried: boolean } {
  if (keep >= digits.length) return { digits: digits + '0'.repeat(keep - digits.length), carried: false };
  if (keep < 0) return { digits: '', carried: false };
  const head = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  const restZero = /^0*$/.test(digits.slice(keep + 1));
  const lastOdd = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (!restZero || lastOdd));
  if (!up) return { digits: head, carried: false };
  const bumped = (BigInt(head === '' ? '0' : head) + 1n).toString();
  const width = Math.max(keep, 1);
  if (bumped.length > width || (keep === 0 && bumped === '1')) return { digits: bumped, carried: true };
  return { digits: bumped.padStart(keep, '0'), carried: false };
}

/** Binary fractional digits of a finite double: its exact decimal has that many fraction digits. */
function fractionBits(f: number): number {
  let x = Math.abs(f);
  let k = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  return k;
}

/** `%.<prec>f` of a finite double (no sign handling: pass |f|). */
export function formatFixed(f: number, prec: number): string {
  // toFixed is exact except on ties (it rounds them up) and from 1e21 (it switches to exponent form).
  if (f < 1e21 && fractionBits(f) !== prec + 1) return f.toFixed(prec);
  const { digits, scale } = exactDecimal(f);
  const intLen = digits.length - scale; // digits before the decimal point (may be <= 0)
  const padded = intLen <= 0 ? '0'.repeat(1 - intLen) + digits : digits;
  const point = Math.max(intLen, 1);
  const { digits: rounded } = roundDigits(padded, point + prec);
  const whole = rounded.slice(0, rounded.length - prec).replace(/^0+(?=\d)/, '') || '0';
  return prec > 0 ? `${whole}.${rounded.slice(rounded.length - prec)}` : whole;
}

/** Significant digits of |f| rounded to `n` (n >= 1), half to even, and the decimal exponent of the first. */
export function significantDigits(f: number, n: number): { digits: string; exp: number } {
  if (f === 0) return { digits: '0'.repeat(n), exp: 0 };
  const { digits: raw, scale } = exactDecimal(f);
  const lead = raw.length - raw.replace(/^0+/, '').length;
  const digits = raw.slice(lead);
  let exp = digits.length - scale - 1;
  const r = roundDigits(digits, n);
  let out = r.digits;
  if (r.carried || out.length > n) {
    exp++;
    out = out.slice(0, n);
  }
  return { digits: out, exp };
}
