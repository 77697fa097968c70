import { mib, percentile, printTable } from '../stats';

/** One tool at one period: its unseal cycles and, when measured, its idle figures. */
export interface Row {
  tool: string;
  /** The poll or unseal period ('500 ms', '1 s', '5 s'; '-' for the floor), for the same-period ratios. */
  period: string;
  unseal: number[];
  /** The seal call → sealed first visible: the server's own wait, reported apart. */
  serverSeal: number[];
  /** Sealed first visible → the keeper's detection (opzero rows only). */
  detection?: number[];
  /** The keeper's own detection → unsealed (its `node unsealed` durationMs), per cycle (opzero rows only). */
  keeperUnseal?: number[];
  idle?: { cpuPercent: number; rss: number; peakRss: number };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;
const triple = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))} / ${ms(Math.max(...values))}`;

/** Prints the table, the same-period and default-period ratios, and where opzero's slowest cycles spent their time. */
export function printReport(rows: readonly Row[], server: string, load: { start: number[]; end: number[] }, idleMs: number): void {
  console.log(`\nOpenBao ${server}; sealed-visible → unsealed-visible in sys/seal-status, per seal through the API`);
  console.log(`load average (1, 5, 15 min) at start ${load.start.map((v) => v.toFixed(2)).join(', ')}; at end ${load.end.map((v) => v.toFixed(2)).join(', ')}`);
  printTable(
    ['tool', 'cycles', 'p50', 'p90', 'p99', 'max', 'detection p50 / p99 / max', 'server: seal call → sealed visible p50 / max', `idle CPU (${idleMs / 1000} s)`, 'idle RSS (peak)'],
    rows.map((row) => [
      row.tool,
      String(row.unseal.length),
      ...(row.unseal.length === 0
        ? ['-', '-', '-', '-', '-', '-']
        : [
            ms(percentile(row.unseal, 50)),
            ms(percentile(row.unseal, 90)),
            ms(percentile(row.unseal, 99)),
            ms(Math.max(...row.unseal)),
            row.detection ? triple(row.detection) : '-',
            `${ms(percentile(row.serverSeal, 50))} / ${ms(Math.max(...row.serverSeal))}`,
          ]),
      row.idle ? `${row.idle.cpuPercent.toFixed(3)} %` : '-',
      row.idle ? `${mib(row.idle.rss)} (${mib(row.idle.peakRss)})` : '-',
    ]),
  );
  const floor = rows[0]!;
  const opzero = rows.filter((row) => row.tool.startsWith('opzero'));
  const bankVaults = rows.filter((row) => row.tool.startsWith('Bank-Vaults'));
  for (const row of opzero) {
    const detection = percentile(row.detection ?? [], 99);
    const unseal = percentile(row.unseal, 99);
    // The goal read both ways: sealed-visible → detected, and sealed-visible → unsealed-visible.
    console.log(
      `${row.tool}: detection p99 ${ms(detection)} after sealed-visible (≤ 100 ms: ${detection <= 100 ? 'met' : 'NOT met'}); ` +
        `unsealed p99 ${ms(unseal)} after sealed-visible (≤ 100 ms: ${unseal <= 100 ? 'met' : 'NOT met'}); unseal p99 − floor p99 ${ms(unseal - percentile(floor.unseal, 99))}`,
    );
  }
  // Each pair: opzero / Bank-Vaults. Default periods (500 ms against 5 s), then the same period.
  const pairs: [Row, Row, string][] = [];
  const bvDefault = bankVaults.find((row) => row.period === '5 s');
  const ourDefault = opzero.find((row) => row.period === '500 ms');
  if (bvDefault && ourDefault) pairs.push([ourDefault, bvDefault, 'defaults (opzero 500 ms, Bank-Vaults 5 s)']);
  for (const period of ['1 s', '5 s']) {
    const ours = opzero.find((row) => row.period === period);
    const theirs = bankVaults.find((row) => row.period === period);
    if (ours && theirs) pairs.push([ours, theirs, `both at ${period}`]);
  }
  if (pairs.length > 0) {
    console.log('\nopzero / Bank-Vaults (below 1 is better for opzero)');
    printTable(
      ['periods', 'p50', 'p99', 'idle CPU', 'idle RSS'],
      pairs.map(([ours, theirs, label]) => [
        label,
        ratio(percentile(ours.unseal, 50), percentile(theirs.unseal, 50)),
        ratio(percentile(ours.unseal, 99), percentile(theirs.unseal, 99)),
        ours.idle && theirs.idle ? ratio(ours.idle.cpuPercent, Math.max(theirs.idle.cpuPercent, 0.001)) : '-',
        ours.idle && theirs.idle ? ratio(ours.idle.rss, theirs.idle.rss) : '-',
      ]),
    );
  }
  // Where the slowest cycles went: detection (polling), the keeper's own unseal (KMS + 3 PUTs),
  // and the rest (the monitor seeing unsealed after the keeper did), beside the floor's spread.
  console.log(`\nslowest cycles (unseal = detection + keeper's unseal calls + seen by the monitor); floor p50 ${ms(percentile(floor.unseal, 50))}, p99 ${ms(percentile(floor.unseal, 99))}`);
  for (const row of opzero) {
    const slowest = row.unseal
      .map((unseal, index) => ({ unseal, index }))
      .sort((a, b) => b.unseal - a.unseal)
      .slice(0, 3);
    for (const { unseal, index } of slowest) {
      const detection = row.detection?.[index] ?? Number.NaN;
      const keeper = row.keeperUnseal?.[index] ?? Number.NaN;
      console.log(`  ${row.period} poll, cycle ${index + 1}: ${ms(unseal)} = ${ms(detection)} + ${ms(keeper)} + ${ms(unseal - detection - keeper)}`);
    }
    if (row.keeperUnseal?.length) console.log(`  ${row.period} poll: the keeper's unseal calls p50 / p99 / max ${triple(row.keeperUnseal)}`);
  }
}
