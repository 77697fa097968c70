/**
 * Resident memory of a server and every process under it (a node:cluster primary and its
 * workers), found by the TCP port it listens on; read from /proc, so Linux only.
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

/** Sum of the RSS of `root` and its descendants. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += rssBytes(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** RSS now of the process tree serving `port` (the listener may be a worker; its parent tree is counted). */
export function rssOfListener(port: number): number {
  const pid = listenerPid(port);
  // Under node:cluster the primary owns the listening socket; count from the topmost node process.
  const parent = parentOf(String(pid));
  const parentCmd = parent ? safeRead(`/proc/${parent}/cmdline`) : '';
  return treeRss(parentCmd.includes('apps/injector') ? parent! : pid);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Samples rssOfListener every 250 ms while started; `peak` is the highest sum seen. */
export class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly port: number) {}

  start(): void {
    this.timer ??= setInterval(() => (this.peak = Math.max(this.peak, rssOfListener(this.port))), 250);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
