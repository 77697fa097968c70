import { readTrimmed, type Collector, type CollectorContext } from './collector';

/** Pseudo filesystems Ohai also lists but no one searches VMs by. */
const PSEUDO = new Set(['proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'pstore', 'bpf', 'debugfs', 'tracefs', 'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'autofs', 'binfmt_misc', 'rpc_pipefs', 'nsfs', 'efivarfs', 'ramfs', 'selinuxfs']);

/**
 * Mounts a container engine makes for each container (image layers, shm, volumes): they come
 * and go with every container start, so listing them would make a new facts version each run.
 */
const CONTAINER_MOUNT_PREFIXES = ['/var/lib/containers/', '/var/lib/docker/', '/run/containers/', '/run/docker/', '/run/containerd/', '/var/lib/kubelet/pods/', '/run/user/'];

interface Mount {
  device: string;
  mount: string;
  fs_type: string;
  mount_options: string[];
}

/** Mounted filesystems from /proc/mounts (octal escapes decoded), without pseudo filesystems and container engines' mounts. */
export async function readMounts(context: CollectorContext): Promise<Mount[] | null> {
  const text = await context.sources.readText('proc/mounts');
  if (text === null) return null;
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, type, options] = line.split(' ');
    if (!device || !mount || !type || PSEUDO.has(type)) continue;
    const path = unescapeMount(mount);
    if (CONTAINER_MOUNT_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
    mounts.push({ device: unescapeMount(device), mount: path, fs_type: type, mount_options: (options ?? '').split(',') });
  }
  return mounts;
}

function unescapeMount(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Filesystems by mount point with their size (statfs); usage figures go to the `usage` section. */
export const filesystem: Collector = async (context) => {
  const mounts = await readMounts(context);
  if (mounts === null) {
    context.note('filesystem: /proc/mounts unreadable');
    return null;
  }
  const section: Record<string, unknown> = {};
  for (const mount of mounts) {
    const stats = await context.sources.statfs(mount.mount);
    section[mount.mount] = { ...mount, ...(stats ? { size_kb: Math.floor(stats.size / 1024) } : {}) };
  }
  return section;
};

/** Block devices from /sys/block: size, removable, rotational, model and vendor. */
export const blockDevices: Collector = async (context) => {
  const names = await context.sources.list('sys/block');
  if (names === null) {
    context.note('block_device: /sys/block unreadable');
    return null;
  }
  const section: Record<string, unknown> = {};
  for (const name of names.filter((n) => !/^(loop|ram)\d+$/.test(n))) {
    const read = (file: string) => readTrimmed(context, `sys/block/${name}/${file}`);
    const [size, removable, rotational, model, vendor] = await Promise.all([read('size'), read('removable'), read('queue/rotational'), read('device/model'), read('device/vendor')]);
    section[name] = {
      size_sectors: Number(size ?? 0),
      removable: removable === '1',
      rotational: rotational === '1',
      ...(model ? { model } : {}),
      ...(vendor ? { vendor } : {}),
    };
  }
  return section;
};
