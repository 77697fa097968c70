const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a Go `time.Duration` string as Consul prints it (`12.5ms`, `1m2.5s`, `0`);
 * undefined when it is not one. Plain scanning, linear in the length (at most 64 characters).
 */
export function parseGoDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text.length === 0 || text.length > 64) return undefined;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    const numberStart = i;
    while (i < text.length && /[0-9.]/.test(text[i] as string)) i++;
    const value = Number(text.slice(numberStart, i));
    const unitStart = i;
    while (i < text.length && !/[0-9.]/.test(text[i] as string)) i++;
    const unit = UNIT_MS[text.slice(unitStart, i)];
    if (numberStart === unitStart || Number.isNaN(value) || unit === undefined) return undefined;
    total += value * unit;
  }
  return total;
}
