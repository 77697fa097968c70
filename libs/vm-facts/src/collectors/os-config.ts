import type { Collector } from './collector';

const COMMAND_LIMITS = { timeoutMs: 3000, maxBytes: 256 * 1024 };

/** Values that move between runs (free memory in pages: `usage.memory.free_kb` has it), left out so sysconf changes only when the system does. */
const MOVING_SYSCONF = new Set(['_AVPHYS_PAGES', 'AVPHYS_PAGES']);

/** `getconf -a` (Ohai `sysconf`): integers as numbers (beyond 2^53, e.g. ULONG_MAX, as exact text), undefined values as null, the rest as text. */
export const sysconf: Collector = async (context) => {
  const text = await context.sources.run('getconf', ['-a'], COMMAND_LIMITS);
  if (text === null) {
    context.note('sysconf: getconf not installed or failed');
    return null;
  }
  return parseGetconf(text);
};

/** `NAME   value` lines; a name alone is an undefined value (null); free pages left out. */
export function parseGetconf(text: string): Record<string, number | string | null> {
  const section: Record<string, number | string | null> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+)(?:\s+(.*))?$/.exec(line.trimEnd());
    if (!match || MOVING_SYSCONF.has(match[1]!)) continue;
    const value = (match[2] ?? '').trim();
    section[match[1]!] = value === '' || value === 'undefined' ? null : /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
  }
  return section;
}

/** `systemd-path` (Ohai `systemd_paths`): well-known directory names to paths. */
export const systemdPaths: Collector = async (context) => {
  const text = await context.sources.run('systemd-path', [], COMMAND_LIMITS);
  if (text === null) {
    context.note('systemd_paths: systemd-path not installed or failed');
    return null;
  }
  return parseSystemdPath(text);
};

/** `name: /path` lines. */
export function parseSystemdPath(text: string): Record<string, string> {
  const section: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(': ');
    if (at > 0) section[line.slice(0, at)] = line.slice(at + 2).trim();
  }
  return section;
}
