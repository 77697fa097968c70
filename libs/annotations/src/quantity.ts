/**
 * Kubernetes resource quantities (k8s.io/apimachinery `resource.Quantity`): parsing, and the
 * canonical form the API server stores, so `0.5` becomes `500m` and `1024Mi` becomes `1Gi`
 * here exactly as they do in the pod vault-k8s would produce.
 */

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(|[numkMGTPE]|[KMGTPE]i|[eE][+-]?\d+)$/;

/** A parsed quantity: its value in nano units (rounded up, as the apimachinery parser does). */
export interface Quantity {
  nanos: bigint;
  format: Format;
}

/** Parses a quantity string; undefined when Kubernetes would reject it. */
export function parseQuantity(raw: string): Quantity | undefined {
  const match = QUANTITY.exec(raw);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', suffix = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  if (whole.length + fraction.length > 60) return undefined;
  let format: Format;
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    numerator *= 2n ** BigInt(BINARY_SUFFIXES[suffix]!);
  } else {
    let exponent: number;
    if (suffix in DECIMAL_SUFFIXES) {
      format = 'DecimalSI';
      exponent = DECIMAL_SUFFIXES[suffix]!;
    } else {
      format = 'DecimalExponent';
      exponent = Number(suffix.slice(1));
      if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100) return undefined;
    }
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  // Value in nanos, rounded away from zero to the next nano (apimachinery rounds non-zero
  // values up so a tiny request still asks for something).
  const scaled = numerator * 10n ** 9n;
  let nanos = scaled / denominator;
  if (scaled % denominator !== 0n) nanos += 1n;
  // Binary values in (-1, 1) are shown as decimal, as apimachinery does.
  if (format === 'BinarySI' && nanos > 0n && nanos < 10n ** 9n) format = 'DecimalSI';
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** The canonical string of a quantity, as `Quantity.String()` prints it. */
export function formatQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) return '0';
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const sign = negative ? '-' : '';
  let format = quantity.format;
  if (format === 'BinarySI') {
    const integral = magnitude % 10n ** 9n === 0n;
    if (magnitude < 1024n * 10n ** 9n || !integral) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = magnitude / 10n ** 9n;
    let exponent = 0;
    while (exponent < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exponent += 10;
    }
    return `${sign}${value}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
  }
  // Largest exponent that is a multiple of 3 and loses no precision.
  let value = magnitude;
  let exponent = -9;
  while (value % 1000n === 0n && exponent < 18) {
    value /= 1000n;
    exponent += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${value}${exponent === 0 ? '' : `e${exponent}`}`;
  return `${sign}${value}${DECIMAL_BY_EXPONENT.get(exponent) ?? `e${exponent}`}`;
}

/** Parses and canonicalises; undefined when the string is not a quantity. */
export function canonicalQuantity(raw: string): string | undefined {
  const parsed = parseQuantity(raw);
  return parsed === undefined ? undefined : formatQuantity(parsed);
}
