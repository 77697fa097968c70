import type { NodeSummary } from '../store/fact-store';

const COLUMNS: (keyof NodeSummary)[] = ['node', 'os', 'osVersion', 'kernel', 'version', 'firstSeen', 'updatedAt'];

/** The list as CSV (RFC 4180), a header row first. */
export function toCsv(items: NodeSummary[]): string {
  return [COLUMNS.join(','), ...items.map((item) => COLUMNS.map((column) => csvField(String(item[column]))).join(','))].join('\r\n') + '\r\n';
}

/**
 * One field, quoted when needed; a leading = + - @ or tab gets a ' so a spreadsheet opening the
 * export never runs a VM-supplied value as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
