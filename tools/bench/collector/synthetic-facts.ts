/** Facts shaped like the collector's (same sections and nesting), varied per node, deterministic. */
export function syntheticFacts(index: number, packageCount: number): Record<string, Record<string, unknown>> {
  const node = syntheticNode(index);
  const rocky = index % 5 === 0;
  const packages: Record<string, { version: string; arch: string }> = {};
  for (let p = 0; p < packageCount; p++) packages[`pkg-${p}`] = { version: `${1 + (p % 7)}.${(index + p) % 3}.0-1`, arch: 'amd64' };
  packages['curl'] = { version: index % 4 === 0 ? '7.88.1-10+deb12u5' : '7.88.1-10', arch: 'amd64' };
  return {
    platform: { platform: rocky ? 'rocky' : 'debian', platform_version: rocky ? '9.3' : '12', platform_family: rocky ? 'rhel' : 'debian' },
    kernel: { name: 'Linux', release: rocky ? '5.14.0-362.el9.x86_64' : `6.1.0-${25 + (index % 4)}-amd64`, version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64', modules: { ext4: {}, xfs: {}, virtio_net: {} } },
    hostname: { hostname: node, fqdn: `${node}.dc${index % 3}.example.com`, domain: `dc${index % 3}.example.com` },
    // Half the nodes each, not alternating by name: PostgreSQL's histogram samples every n-th
    // node in name order, and a strict alternation made it see one CPU only (free text misplanned).
    cpu: { model_name: mix(index) % 2 ? 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz' : 'AMD EPYC 7763 64-Core Processor', sockets: 1, cores: 2 + (index % 4) * 2, threads: 4 + (index % 4) * 4, mhz: 2100 },
    memory: { total_kb: 4_194_304 * (1 + (index % 4)), swap_total_kb: 1_048_576 },
    filesystem: {
      '/': { device: '/dev/vda1', mount: '/', fs_type: 'ext4', mount_options: ['rw', 'relatime'], size_kb: 52_428_800 },
      '/boot': { device: '/dev/vda2', mount: '/boot', fs_type: 'ext4', mount_options: ['rw'], size_kb: 1_048_576 },
      '/srv': { device: '/dev/vdb1', mount: '/srv', fs_type: 'xfs', mount_options: ['rw', 'noatime'], size_kb: 104_857_600 },
    },
    network: {
      interfaces: {
        lo: { mac: '00:00:00:00:00:00', mtu: 65536, state: 'unknown', addresses: [{ family: 'IPv4', address: '127.0.0.1', prefixlen: 8 }] },
        eth0: { mac: `52:54:00:${hex(index >> 16)}:${hex(index >> 8)}:${hex(index)}`, mtu: 1500, state: 'up', addresses: [{ family: 'IPv4', address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`, prefixlen: 16 }] },
      },
      default_interface: 'eth0',
      default_gateway: '10.0.0.1',
    },
    virtualization: { system: 'kvm', role: 'guest' },
    dmi: { system_vendor: 'QEMU', product_name: 'Standard PC (Q35 + ICH9, 2009)' },
    packages,
    accounts: { users: { root: { uid: 0, gid: 0 }, app: { uid: 1000, gid: 1000 } }, groups: { root: { gid: 0 }, app: { gid: 1000 } } },
    app: { role: index % 10 === 0 ? 'primary' : 'replica', release: '1.0.0' },
  };
}

/** The node name of synthetic VM `index`: vm-00000, vm-00001... */
export const syntheticNode = (index: number): string => `vm-${String(index).padStart(5, '0')}`;

/** A deterministic scramble of the index (Knuth's multiplicative hash), for choices that must not follow name order. */
const mix = (index: number) => Math.imul(index + 1, 2654435761) >>> 16;

const hex = (value: number) => (value & 255).toString(16).padStart(2, '0');
