import { parseKeyValues, readTrimmed, type Collector } from './collector';
import { parseNetDev } from './network';
import { readMounts } from './storage';

/** Boot time (stable between runs, unlike uptime seconds, which go to `usage`). */
export const uptime: Collector = async (context) => {
  const stat = await context.sources.readText('proc/stat');
  const btime = /^btime (\d+)$/m.exec(stat ?? '')?.[1];
  if (!btime) {
    context.note('uptime: no btime in /proc/stat');
    return null;
  }
  return { boot_time: new Date(Number(btime) * 1000).toISOString() };
};

/** The time zone from /etc/timezone, else /etc/localtime's link target. */
export const timezone: Collector = async (context) => {
  const named = await readTrimmed(context, 'etc/timezone');
  const link = named ? null : await context.sources.link('etc/localtime');
  const zone = named || (link?.includes('zoneinfo/') ? link.slice(link.indexOf('zoneinfo/') + 'zoneinfo/'.length) : null);
  return { name: zone ?? 'UTC', source: named ? '/etc/timezone' : link ? '/etc/localtime' : 'default' };
};

/** The init system: PID 1's command name (readable without root). */
export const init: Collector = async (context) => {
  const comm = await readTrimmed(context, 'proc/1/comm');
  if (!comm) {
    context.note('init: /proc/1/comm unreadable');
    return null;
  }
  return { name: comm === 'init' && (await context.sources.list('run/systemd/system')) !== null ? 'systemd' : comm };
};

/** Installed packages, name → version and arch, from dpkg-query, else rpm. */
export const packages: Collector = async (context) => {
  const dpkg = await context.sources.run('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n']);
  const rpm = dpkg === null ? await context.sources.run('rpm', ['-qa', '--qf', 'ii \t%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\n']) : null;
  const text = dpkg ?? rpm;
  if (text === null) {
    context.note('packages: neither dpkg-query nor rpm answered');
    return null;
  }
  const section: Record<string, { version: string; arch: string }> = {};
  for (const line of text.split('\n')) {
    const [status, name, version, arch] = line.split('\t');
    if (status?.startsWith('ii') && name && version !== undefined) section[name] = { version, arch: arch ?? '' };
  }
  return section;
};

/** Users and groups: names and ids only (no GECOS, home, shell or hashes). */
export const accounts: Collector = async (context) => {
  const [passwd, group] = await Promise.all([context.sources.readText('etc/passwd'), context.sources.readText('etc/group')]);
  if (passwd === null && group === null) {
    context.note('accounts: /etc/passwd and /etc/group unreadable');
    return null;
  }
  const users: Record<string, { uid: number; gid: number }> = {};
  for (const [name, , uid, gid] of colonLines(passwd ?? '')) if (name) users[name] = { uid: Number(uid), gid: Number(gid) };
  const groups: Record<string, { gid: number; members: string[] }> = {};
  for (const [name, , gid, members] of colonLines(group ?? '')) if (name) groups[name] = { gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) };
  return { users, groups };
};

function colonLines(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

/**
 * Figures that move every run (free memory, uptime, filesystem use, network counters, the
 * collection time: Ohai's `counters` and `ohai_time`); written on their own schedule.
 */
export const usage: Collector = async (context) => {
  const collectedAt = Date.now() / 1000;
  const [meminfo, uptimeText, netDev, mounts] = await Promise.all([
    context.sources.readText('proc/meminfo'),
    context.sources.readText('proc/uptime'),
    context.sources.readText('proc/net/dev'),
    readMounts(context),
  ]);
  const info = parseKeyValues(meminfo ?? '', ':');
  const kb = (name: string) => Number((info.get(name) ?? '0').replace(/ kB$/, ''));
  const filesystems: Record<string, { used_kb: number; available_kb: number }> = {};
  for (const mount of mounts ?? []) {
    const stats = await context.sources.statfs(mount.mount);
    if (stats) filesystems[mount.mount] = { used_kb: Math.floor((stats.size - stats.free) / 1024), available_kb: Math.floor(stats.available / 1024) };
  }
  return {
    uptime_seconds: Math.floor(Number((uptimeText ?? '0').split(' ')[0])),
    memory: { free_kb: kb('MemFree'), available_kb: kb('MemAvailable'), swap_free_kb: kb('SwapFree') },
    filesystems,
    counters: { network: { interfaces: parseNetDev(netDev ?? '') } },
    ohai_time: collectedAt,
  };
};

/** Login shells listed in /etc/shells. */
export const shells: Collector = async (context) => {
  const text = await context.sources.readText('etc/shells', 64 * 1024);
  if (text === null) {
    context.note('shells: /etc/shells unreadable');
    return null;
  }
  return { shells: text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('/')) };
};
