/**
 * Resident memory and CPU time of a server and every process under it (a node:cluster primary
 * and its workers), found by the TCP port it listens on; read from /proc, so Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The pid listening on 127.0.0.1:`port` (from `ss`). */
function listenerPid(port: number): number {
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on port ${port}`);
  return Number(pid);
}

function parentOf(pid: string): number | undefined {
  try {
    // The command name (field 2) may hold spaces; the parent pid is the second field after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Proportional set size: each page shared by N processes counts 1/N. Summed over the processes
 * of one server it counts the node binary's text, which every worker maps, once (RSS counts it
 * in each process), as the kernel charges a container for it.
 */
function pssBytes(pid: number): number {
  const kb = /^Pss:\s+(\d+) kB/m.exec(safeRead(`/proc/${pid}/smaps_rollup`))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** User plus system CPU time of a process so far, in clock ticks (1/100 s on Linux). */
function cpuTicks(pid: number): number {
  const stat = safeRead(`/proc/${pid}/stat`);
  if (stat === '') return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds used by `pids` so far (user + system). */
export function cpuSecondsOf(pids: readonly number[]): number {
  return pids.reduce((total, pid) => total + cpuTicks(pid), 0) / 100;
}

/** `root` and its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The processes of the server listening on `port` (under node:cluster: the primary and its workers). */
export function serverProcesses(port: number): number[] {
  const pid = listenerPid(port);
  // A worker may show as the listener: count from its primary (the parent running the same program).
  const parent = parentOf(String(pid));
  const sameProgram = parent !== undefined && safeRead(`/proc/${parent}/cmdline`) === safeRead(`/proc/${pid}/cmdline`);
  return processTree(sameProgram ? parent : pid);
}

/** Sum of the RSS of `pids` now. */
export function rssOf(pids: readonly number[]): number {
  return pids.reduce((total, pid) => total + rssBytes(pid), 0);
}

/** Sum of the PSS of `pids` now (shared pages counted once across them). */
export function pssOf(pids: readonly number[]): number {
  return pids.reduce((total, pid) => total + pssBytes(pid), 0);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Samples the RSS and PSS of a fixed set of processes every 250 ms while started; `peak` and
 * `peakPss` are the highest sums seen. Reading a few /proc files per tick keeps the bench's own event loop (which drives
 * the load) free; the process tree is found once, before the load starts.
 */
export class RssSampler {
  peak = 0;
  peakPss = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: readonly number[]) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.peak = Math.max(this.peak, rssOf(this.pids));
      this.peakPss = Math.max(this.peakPss, pssOf(this.pids));
    }, 250);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
