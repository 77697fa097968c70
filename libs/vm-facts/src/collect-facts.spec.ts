import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFacts, hostSources, type FactSources } from './index';

const FIXTURE = join(__dirname, '..', 'fixtures', 'debian-vm');
const DPKG = 'ii \tbash\t5.2.15-2+b7\tamd64\nrc \told-thing\t1.0\tamd64\nii \tcurl\t7.88.1-10+deb12u8\tamd64\n';

/** The fixture tree for files; commands, statfs and os.* answered as a VM would. */
function fixtureSources(overrides: Partial<FactSources> = {}): FactSources {
  return {
    ...hostSources(FIXTURE),
    run: async (command, args) => (command === 'dpkg-query' ? DPKG : command === 'hostname' && args[0] === '--fqdn' ? 'web-01.example.internal\n' : null),
    statfs: async (mount) => (mount === '/' ? { size: 10 * 1024 * 1024 * 1024, free: 4 * 1024 * 1024 * 1024, available: 3 * 1024 * 1024 * 1024 } : null),
    networkInterfaces: () => ({
      eth0: [{ family: 'IPv4', address: '10.0.2.15', netmask: '255.255.255.0', mac: '52:54:00:12:34:56', internal: false, cidr: '10.0.2.15/24' }],
    }),
    machine: () => 'x86_64',
    hostname: () => 'ignored',
    findExecutable: async () => null,
    ...overrides,
  };
}

describe('collectFacts on a fixture Debian VM', () => {
  it('reads platform, kernel and host names', async () => {
    const facts = await collectFacts({ sources: fixtureSources() });
    expect(facts['platform']).toEqual({ platform: 'debian', platform_version: '12', platform_family: 'debian', name: 'Debian GNU/Linux 12 (bookworm)', codename: 'bookworm',
      os_release: { pretty_name: 'Debian GNU/Linux 12 (bookworm)', name: 'Debian GNU/Linux', version_id: '12', version_codename: 'bookworm', id: 'debian' },
    });
    expect(facts['kernel']).toEqual({
      name: 'Linux',
      release: '6.1.0-27-amd64',
      version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
      machine: 'x86_64',
      fips_enabled: true,
      modules: { nf_tables: { size: 282624, refcount: 3 }, ext4: { size: 987136, refcount: 1 } },
    });
    expect(facts['hostname']).toEqual({ hostname: 'web-01', fqdn: 'web-01.example.internal', domain: 'example.internal' });
  });

  it('counts sockets, cores and threads, and reads memory totals', async () => {
    const before = Date.now() / 1000;
    const facts = await collectFacts({ sources: fixtureSources() });
    const after = Date.now() / 1000;
    expect(facts['cpu']).toMatchObject({ model_name: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', sockets: 2, cores: 2, threads: 4, mhz: 2100 });
    expect(facts['memory']).toEqual({ total_kb: 8000000, swap_total_kb: 2097148, huge_page_size_kb: 2048 });
    expect(facts['usage']).toEqual({
      uptime_seconds: 3600,
      memory: { free_kb: 1000000, available_kb: 4000000, swap_free_kb: 2097148 },
      filesystems: { '/': { used_kb: 6 * 1024 * 1024, available_kb: 3 * 1024 * 1024 } },
      counters: {
        network: {
          interfaces: {
            lo: { rx: { bytes: 5120, packets: 40, errors: 0, drop: 0, fifo: 0, frame: 0, compressed: 0, multicast: 0 }, tx: { bytes: 5120, packets: 40, errors: 0, drop: 0, fifo: 0, collisions: 0, carrier: 0, compressed: 0 } },
            eth0: {
              rx: { bytes: 987654321, packets: 654321, errors: 2, drop: 5, fifo: 0, frame: 1, compressed: 0, multicast: 12 },
              tx: { bytes: 12345678, packets: 98765, errors: 0, drop: 0, fifo: 0, collisions: 3, carrier: 1, compressed: 0 },
            },
          },
        },
      },
      ohai_time: expect.any(Number),
    });
    const ohaiTime = facts['usage']?.['ohai_time'] as number;
    expect(ohaiTime).toBeGreaterThanOrEqual(before);
    expect(ohaiTime).toBeLessThanOrEqual(after);
  });

  it('lists real filesystems (escaped mount points decoded) and block devices without loop devices', async () => {
    const facts = await collectFacts({ sources: fixtureSources() });
    expect(facts['filesystem']).toEqual({
      '/': { device: '/dev/vda1', mount: '/', fs_type: 'ext4', mount_options: ['rw', 'relatime'], size_kb: 10 * 1024 * 1024 },
      '/srv/my data': { device: '/dev/vdb1', mount: '/srv/my data', fs_type: 'xfs', mount_options: ['rw', 'noatime'] },
    });
    expect(facts['block_device']).toEqual({ vda: { size_sectors: 41943040, removable: false, rotational: false } });
  });

  it('decodes routes and finds the default gateway', async () => {
    const facts = await collectFacts({ sources: fixtureSources() });
    expect(facts['network']).toEqual({
      interfaces: {
        eth0: { mac: '52:54:00:12:34:56', mtu: 1500, state: 'up', addresses: [{ family: 'IPv4', address: '10.0.2.15', prefixlen: 24 }] },
        lo: { mac: '00:00:00:00:00:00', mtu: 65536, state: 'unknown', addresses: [] },
      },
      routes: [
        { interface: 'eth0', destination: '0.0.0.0/0', gateway: '10.0.2.1', metric: 100 },
        { interface: 'eth0', destination: '10.0.2.0/24', gateway: '0.0.0.0', metric: 100 },
      ],
      default_interface: 'eth0',
      ipaddress: '10.0.2.15',
      default_gateway: '10.0.2.1',
      routes6: [
        { interface: 'eth0', destination: '2001:db8:0:1::/64', gateway: '::', metric: 256 },
        { interface: 'eth0', destination: '::/0', gateway: 'fe80::1', metric: 1024 },
      ],
      default_gateway6: 'fe80::1',
    });
  });

  it('reads boot time, time zone, virtualization, DMI, init, installed packages and accounts (names and ids only)', async () => {
    const facts = await collectFacts({ sources: fixtureSources() });
    expect(facts['uptime']).toEqual({ boot_time: '2025-11-28T03:20:00.000Z' });
    expect(facts['timezone']).toEqual({ name: 'Europe/Berlin', source: '/etc/timezone' });
    expect(facts['virtualization']).toEqual({ system: 'kvm', role: 'guest', container: 'none' });
    expect(facts['dmi']).toEqual({ sys_vendor: 'QEMU', product_name: 'Standard PC (Q35 + ICH9, 2009)' });
    expect(facts['init']).toEqual({ name: 'systemd' });
    expect(facts['packages']).toEqual({ bash: { version: '5.2.15-2+b7', arch: 'amd64' }, curl: { version: '7.88.1-10+deb12u8', arch: 'amd64' } });
    expect(facts['accounts']).toEqual({
      users: { root: { uid: 0, gid: 0 }, alice: { uid: 1000, gid: 1000 } },
      groups: { root: { gid: 0, members: [] }, sudo: { gid: 27, members: ['alice', 'bob'] } },
    });
    expect(facts['shells']).toEqual({ shells: ['/bin/sh', '/usr/bin/bash'] });
    expect(JSON.stringify(facts)).not.toContain('Secretname');
  });

  it('reads the machine id, SSH host public keys only, and says no cloud where DMI names none', async () => {
    const facts = await collectFacts({ sources: fixtureSources(), version: '1.2.3' });
    expect(facts['machine_id']).toEqual({ machine_id: 'b1946ac92492d2347c6235b4d2611184' });
    expect(facts['keys']).toEqual({
      ssh: {
        host_ecdsa_public: 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYFixtureEcdsaBody',
        host_ecdsa_type: 'ecdsa-sha2-nistp256',
        host_ed25519_public: 'AAAAC3NzaC1lZDI1NTE5AAAAIFixtureEd25519PublicKeyBody',
        host_ed25519_type: 'ssh-ed25519',
      },
    });
    expect(JSON.stringify(facts)).not.toContain('FIXTURE-PRIVATE-HOST-KEY');
    expect(facts['cloud']).toEqual({ provider: null, detected_by: null });
    expect(facts['command']).toEqual({ ps: 'ps -ef' });
    expect(facts['opzero_packages']).toEqual({ 'vm-config-collector': { version: '1.2.3' } });
    // No docker socket in the fixture: an empty section, as Ohai's without a daemon.
    expect(facts['docker']).toEqual({});
  });

  it('never opens a private host key', async () => {
    const opened: string[] = [];
    const sources = fixtureSources();
    await collectFacts({ sources: { ...sources, readText: async (path, max) => (opened.push(path), sources.readText(path, max)) } });
    expect(opened).toEqual(expect.arrayContaining(['etc/ssh/ssh_host_ed25519_key.pub']));
    expect(opened.filter((path) => path.startsWith('etc/ssh/'))).toEqual(['etc/ssh/ssh_host_ecdsa_key.pub', 'etc/ssh/ssh_host_ed25519_key.pub']);
  });

  it('leaves out what it cannot read, with a note, and never copies the environment', async () => {
    process.env['J_TEST_SECRET_VALUE'] = 'hunter2-do-not-send';
    const facts = await collectFacts({ sources: fixtureSources({ readText: async () => null, list: async () => null, run: async () => null }) });
    delete process.env['J_TEST_SECRET_VALUE'];
    expect(facts['platform']).toBeUndefined();
    expect(facts['packages']).toBeUndefined();
    expect(facts['collector']?.['notes']).toEqual(expect.arrayContaining(['platform: no os-release file', 'packages: neither dpkg-query nor rpm answered', 'cpu: /proc/cpuinfo unreadable']));
    expect(JSON.stringify(facts)).not.toContain('hunter2');
  });
});

describe('plugins', () => {
  async function pluginsDir(plugins: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'vm-facts-plugins-'));
    for (const [name, script] of Object.entries(plugins)) {
      await writeFile(join(dir, name), `#!/bin/sh\n${script}\n`);
      await chmod(join(dir, name), 0o755);
    }
    await writeFile(join(dir, 'README'), 'not executable, ignored');
    return dir;
  }

  it('merges valid objects under the plugin name and reports the rest without sending them', async () => {
    const dir = await pluginsDir({
      'app_version.sh': `echo '{"release":"4.2.0","tier":"web"}'`,
      array: `echo '[1,2]'`,
      notjson: `echo 'hello'`,
      failing: `exit 3`,
      slow: `sleep 5; echo '{}'`,
      secretive: `echo '{"db":{"password":"pw-should-not-leave"}}'`,
      envdump: `echo "{\\"home\\":\\"$HOME\\"}"`,
      deep: `python3 -c 'import json; v={}\nfor _ in range(40): v={"a": v}\nprint(json.dumps(v))'`,
      platform: `echo '{"platform":"spoofed"}'`,
      'Bad Name': `echo '{}'`,
    });
    const facts = await collectFacts({ sources: fixtureSources(), pluginsDir: dir, pluginTimeoutMs: 1000 });
    expect(facts['app_version']).toEqual({ release: '4.2.0', tier: 'web' });
    // The plugin runs with an empty environment: $HOME expands to nothing.
    expect(facts['envdump']).toEqual({ home: '' });
    expect(facts['platform']?.['platform']).toBe('debian');
    const failures = Object.fromEntries((facts['collector']?.['plugin_failures'] as { plugin: string; reason: string }[]).map((f) => [f.plugin, f.reason]));
    expect(failures).toEqual({
      array: 'the output is not a JSON object',
      notjson: 'the output is not JSON',
      failing: 'failed, timed out or printed more than the limit',
      slow: 'failed, timed out or printed more than the limit',
      secretive: '.db.password: a key named like a secret',
      deep: expect.stringContaining('nested deeper than 16'),
      platform: 'the name "platform" is a built-in fact family',
      'Bad Name': 'the name "bad name" is not a section name (a-z, 0-9, _ and -, at most 64)',
    });
    for (const name of ['array', 'notjson', 'secretive', 'deep', 'slow']) expect(facts[name]).toBeUndefined();
    expect(JSON.stringify(facts)).not.toContain('pw-should-not-leave');
  });
});

describe('ohai input', () => {
  it('adds the attributes we do not collect as ohai_<name>, drops secret-looking names and run metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vm-facts-ohai-'));
    const path = join(dir, 'ohai.json');
    await writeFile(path, JSON.stringify({ platform: 'debian', cpu: { total: 4 }, ohai_time: 1, shells: ['/bin/sh'], regions: ['eu-1'], custom_team: { owner: 'payments' }, api_token: 'x', languages: { ruby: { version: '3.1' } } }));
    const facts = await collectFacts({ sources: fixtureSources(), ohaiInput: path });
    expect(facts['ohai_custom_team']).toEqual({ owner: 'payments' });
    expect(facts['ohai_regions']).toEqual({ value: ['eu-1'] });
    for (const name of ['ohai_platform', 'ohai_cpu', 'ohai_shells', 'ohai_ohai_time', 'ohai_languages', 'ohai_api_token']) expect(facts[name]).toBeUndefined();
    expect(facts['collector']?.['notes']).toContain('ohai input: attribute "api_token" left out (name)');
  });

  it('reports an unreadable or malformed input instead of failing the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vm-facts-ohai-'));
    await writeFile(join(dir, 'bad.json'), '{"a":');
    const facts = await collectFacts({ sources: fixtureSources(), ohaiInput: join(dir, 'bad.json') });
    expect(facts['collector']?.['notes']).toContain(`ohai input ${join(dir, 'bad.json')}: not JSON`);
    expect(facts['platform']).toBeDefined();
  });
});
