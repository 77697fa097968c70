const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from a Go duration ("5m", "1h30m", "250ms") or, as Vault's parseutil accepts,
 * a bare number of seconds. Throws naming the field on anything else.
 */
export function parseDuration(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value !== 'string' || value.length > 64) throw new ConfigFieldError(field, `${JSON.stringify(value)} is not a duration (e.g. 5m, 30s)`);
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value) ? value.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : null;
  if (!parts) throw new ConfigFieldError(field, `${JSON.stringify(value)} is not a duration (e.g. 5m, 30s)`);
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(part) as unknown as [string, string, string];
    total += Number(amount) * (UNITS[unit] ?? 0);
  }
  return total;
}

/** A configuration value that cannot be used; the message names the field. Exit status 78. */
export class ConfigFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigFieldError';
  }
}
