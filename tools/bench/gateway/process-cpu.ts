import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The process and its children (node:cluster workers), recursively. */
function processTree(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const line of [readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')]) for (const child of line.trim().split(/\s+/)) if (child) children.push(Number(child));
  } catch {
    return [];
  }
  return [pid, ...children.flatMap(processTree)];
}

/** CPU time (user + system, every thread) used so far by `pid` and its live children, in microseconds. */
export function processCpuMicros(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at ")"; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}
