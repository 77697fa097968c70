import { existsSync, readFileSync } from 'node:fs';

/** User+system CPU seconds a process used so far (from /proc; Linux only). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory in bytes. */
export function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** CPU share (percent of one core) and final RSS of each process over the same `ms`; a process that exits meanwhile is left out (and named on stderr). */
export async function idleUsage(pids: Record<string, number>, ms: number): Promise<Record<string, { cpuPercent: number; rss: number; peakRss: number }>> {
  const alive = (pid: number) => existsSync(`/proc/${pid}/stat`);
  const gone = (name: string) => process.stderr.write(`idle: ${name} (pid ${pids[name]}) exited during the idle window; left out\n`);
  const start = Object.fromEntries(Object.entries(pids).filter(([, pid]) => alive(pid)).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const peak: Record<string, number> = {};
  const began = Date.now();
  while (Date.now() - began < ms) {
    for (const [name, pid] of Object.entries(pids)) if (alive(pid)) peak[name] = Math.max(peak[name] ?? 0, rssBytes(pid));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const seconds = (Date.now() - began) / 1000;
  const measured = Object.entries(pids).filter(([name, pid]) => (start[name] !== undefined && alive(pid)) || (gone(name), false));
  return Object.fromEntries(
    measured.map(([name, pid]) => [name, { cpuPercent: ((cpuSeconds(pid) - (start[name] ?? 0)) / seconds) * 100, rss: rssBytes(pid), peakRss: peak[name] ?? 0 }]),
  );
}
