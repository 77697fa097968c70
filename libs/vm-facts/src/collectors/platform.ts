import { parseKeyValues, readTrimmed, type Collector } from './collector';

/** Ohai's platform, platform_version and platform_family from /etc/os-release. */
export const platform: Collector = async (context) => {
  const text = (await context.sources.readText('etc/os-release')) ?? (await context.sources.readText('usr/lib/os-release'));
  if (text === null) {
    context.note('platform: no os-release file');
    return null;
  }
  const release = parseKeyValues(text, '=');
  const like = release.get('ID_LIKE') ?? '';
  const id = release.get('ID') ?? 'linux';
  return {
    platform: id,
    platform_version: release.get('VERSION_ID') ?? (await readTrimmed(context, 'etc/debian_version')) ?? '',
    platform_family: platformFamily(id, like),
    name: release.get('PRETTY_NAME') ?? release.get('NAME') ?? id,
    codename: release.get('VERSION_CODENAME') ?? '',
    os_release: Object.fromEntries([...release].map(([key, value]) => [key.toLowerCase().slice(0, 64), value.slice(0, 256)])),
  };
};

function platformFamily(id: string, like: string): string {
  const ids = [id, ...like.split(' ')];
  if (ids.some((v) => v === 'debian' || v === 'ubuntu')) return 'debian';
  if (ids.some((v) => v === 'rhel' || v === 'fedora' || v === 'centos')) return 'rhel';
  if (ids.some((v) => v === 'suse' || v === 'sles')) return 'suse';
  return id;
}

/** Kernel name, release, version, machine and loaded modules (/proc/sys/kernel, /proc/modules). */
export const kernel: Collector = async (context) => {
  const [name, release, version, modules, fips] = await Promise.all([
    readTrimmed(context, 'proc/sys/kernel/ostype'),
    readTrimmed(context, 'proc/sys/kernel/osrelease'),
    readTrimmed(context, 'proc/sys/kernel/version'),
    context.sources.readText('proc/modules'),
    readTrimmed(context, 'proc/sys/crypto/fips_enabled'),
  ]);
  if (release === null) {
    context.note('kernel: /proc/sys/kernel/osrelease unreadable');
    return null;
  }
  return { name: name ?? 'Linux', release, version: version ?? '', machine: context.sources.machine(), fips_enabled: fips === '1', modules: parseModules(modules ?? '') };
};

/** `/proc/modules` lines: name size refcount deps state address. */
function parseModules(text: string): Record<string, { size: number; refcount: number }> {
  const modules: Record<string, { size: number; refcount: number }> = {};
  for (const line of text.split('\n')) {
    const [name, size, refcount] = line.split(' ');
    if (name && size) modules[name] = { size: Number(size), refcount: Number(refcount ?? 0) };
  }
  return modules;
}

/** hostname, fqdn and domain: the kernel's hostname, then `hostname --fqdn` (bounded) for the rest. */
export const host: Collector = async (context) => {
  const name = (await readTrimmed(context, 'proc/sys/kernel/hostname')) ?? context.sources.hostname();
  const short = name.split('.')[0] ?? name;
  const resolved = (await context.sources.run('hostname', ['--fqdn'], { timeoutMs: 3000, maxBytes: 4096 }))?.trim();
  const fqdn = resolved && /^[A-Za-z0-9.-]{1,253}$/.test(resolved) ? resolved : name;
  if (!resolved) context.note('hostname: `hostname --fqdn` failed; fqdn is the kernel hostname');
  const dot = fqdn.indexOf('.');
  return { hostname: short, fqdn, domain: dot > 0 ? fqdn.slice(dot + 1) : '' };
};
