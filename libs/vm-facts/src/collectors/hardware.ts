import { parseKeyValues, readTrimmed, type Collector } from './collector';

/** CPU model, sockets, cores, threads, MHz and flags from /proc/cpuinfo. */
export const cpu: Collector = async (context) => {
  const text = await context.sources.readText('proc/cpuinfo');
  if (text === null) {
    context.note('cpu: /proc/cpuinfo unreadable');
    return null;
  }
  const blocks = text.split(/\n\s*\n/).filter((block) => block.includes('processor')).map((block) => parseKeyValues(block, ':'));
  const first = blocks[0] ?? new Map<string, string>();
  const sockets = new Set(blocks.map((b) => b.get('physical id') ?? '0'));
  const cores = new Set(blocks.map((b) => `${b.get('physical id') ?? '0'}/${b.get('core id') ?? b.get('processor')}`));
  return {
    model_name: first.get('model name') ?? first.get('Model') ?? '',
    vendor_id: first.get('vendor_id') ?? '',
    sockets: sockets.size,
    cores: cores.size,
    threads: blocks.length,
    mhz: Number(first.get('cpu MHz') ?? 0),
    flags: (first.get('flags') ?? '').split(' ').filter(Boolean),
  };
};

/** Memory and swap totals (kB, as Ohai and /proc/meminfo report them). */
export const memory: Collector = async (context) => {
  const text = await context.sources.readText('proc/meminfo');
  if (text === null) {
    context.note('memory: /proc/meminfo unreadable');
    return null;
  }
  const info = parseKeyValues(text, ':');
  const kb = (name: string) => Number((info.get(name) ?? '0').replace(/ kB$/, ''));
  return { total_kb: kb('MemTotal'), swap_total_kb: kb('SwapTotal'), huge_page_size_kb: kb('Hugepagesize') };
};

/** Vendor and product from /sys/class/dmi/id; serial numbers and UUIDs are root-only and left out. */
export const dmi: Collector = async (context) => {
  const fields = ['sys_vendor', 'product_name', 'product_version', 'bios_vendor', 'bios_version', 'board_vendor', 'board_name', 'chassis_vendor'];
  const values = await Promise.all(fields.map((field) => readTrimmed(context, `sys/class/dmi/id/${field}`)));
  const section: Record<string, string> = {};
  fields.forEach((field, i) => {
    if (values[i]) section[field] = values[i];
  });
  if (Object.keys(section).length === 0) {
    context.note('dmi: /sys/class/dmi/id unreadable or absent');
    return null;
  }
  return section;
};

const HYPERVISORS: [RegExp, string][] = [
  [/kvm|qemu/i, 'kvm'],
  [/vmware/i, 'vmware'],
  [/virtualbox|innotek/i, 'vbox'],
  [/xen/i, 'xen'],
  [/microsoft/i, 'hyperv'],
  [/amazon ec2/i, 'kvm'],
  [/google/i, 'kvm'],
];

/** Hypervisor (DMI vendor, cpuinfo's hypervisor flag) and container (marker files, PID 1's cgroup). */
export const virtualization: Collector = async (context) => {
  const [vendor, product, cpuinfo, dockerenv, containerenv, systemdContainer, cgroup] = await Promise.all([
    readTrimmed(context, 'sys/class/dmi/id/sys_vendor'),
    readTrimmed(context, 'sys/class/dmi/id/product_name'),
    context.sources.readText('proc/cpuinfo'),
    context.sources.readText('.dockerenv', 1),
    context.sources.readText('run/.containerenv', 1),
    readTrimmed(context, 'run/systemd/container'),
    context.sources.readText('proc/1/cgroup', 64 * 1024),
  ]);
  const dmiText = `${vendor ?? ''} ${product ?? ''}`;
  const hypervisor = HYPERVISORS.find(([pattern]) => pattern.test(dmiText))?.[1] ?? (/\bhypervisor\b/.test(cpuinfo ?? '') ? 'unknown' : null);
  const container =
    systemdContainer ||
    (containerenv !== null ? 'podman' : dockerenv !== null ? 'docker' : /kubepods/.test(cgroup ?? '') ? 'kubernetes' : /docker|lxc/.exec(cgroup ?? '')?.[0] ?? null);
  return { system: hypervisor ?? 'physical', role: hypervisor ? 'guest' : 'host', container: container ?? 'none' };
};
