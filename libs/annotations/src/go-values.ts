/**
 * Parsers with Go's semantics for the value types vault-k8s reads, so a value means here what
 * it meant there. Each returns undefined for a value Go would reject.
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

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(raw, 10, 64); parseutil.ParseInt also reads '' as 0 when `emptyIsZero`. */
export function parseGoInt(raw: string, emptyIsZero = false): bigint | undefined {
  if (raw === '' && emptyIsZero) return 0n;
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const value = BigInt(raw);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** strconv.ParseUint(raw, 10, 64). */
export function parseGoUint(raw: string): bigint | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = BigInt(raw);
  return value > 2n ** 64n - 1n ? undefined : value;
}

/** A decimal float as strconv.ParseFloat reads it (no hex, inf or NaN: none is a useful value here). */
export function parseDecimalFloat(raw: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : undefined;
}

const DURATION = /^[+-]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Whether time.ParseDuration accepts the value (`300ms`, `1h30m`, `0`). */
export function isGoDuration(raw: string): boolean {
  return raw === '0' || raw === '+0' || raw === '-0' || DURATION.test(raw);
}
