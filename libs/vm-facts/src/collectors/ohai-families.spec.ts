import { hostSources, type FactSources } from '../fact-sources';
import type { CollectorContext } from './collector';
import { cloud } from './cloud';
import { docker, parseDockerInfo } from './docker';
import { hostnamectl, parseHostnamectl } from './identity';
import { languages, parseGcc, parseJavaRelease, parsePerl, parsePython, parseRuby } from './languages';
import { parseNetDev } from './network';
import { parseGetconf, parseSystemdPath, sysconf } from './os-config';

/** A context over a fake machine: files by path, commands by `binary args`, executables by name. */
function context(machine: { files?: Record<string, string>; commands?: Record<string, string>; executables?: Record<string, string> }) {
  const notes: string[] = [];
  const ran: string[] = [];
  const sources: FactSources = {
    ...hostSources('/nonexistent'),
    readText: async (path) => machine.files?.[path] ?? null,
    realpath: async (path) => (machine.files?.[path] !== undefined ? `/${path}` : path === '/usr/bin/java' ? '/usr/lib/jvm/java-17-openjdk-amd64/bin/java' : null),
    run: async (command, args) => {
      ran.push(`${command} ${args.join(' ')}`.trim());
      return machine.commands?.[`${command} ${args.join(' ')}`.trim()] ?? null;
    },
    findExecutable: async (name) => machine.executables?.[name] ?? null,
  };
  const ctx: CollectorContext = { sources, note: (text) => notes.push(text) };
  return { ctx, notes, ran };
}

describe('getconf -a', () => {
  it('keeps integers as numbers, huge ones as exact text, empty values as null and text as text, and leaves free pages out', () => {
    const text = ['LINK_MAX                           65000', 'SOCK_MAXBUF                        ', 'CHAR_MIN                           -128', 'ULONG_MAX                          18446744073709551615', 'CS_PATH                            /bin:/usr/bin', '_AVPHYS_PAGES                      4100531', '_PHYS_PAGES                        6171021', 'LFS_CFLAGS                         -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64', ''].join('\n');
    expect(parseGetconf(text)).toEqual({ LINK_MAX: 65000, SOCK_MAXBUF: null, CHAR_MIN: -128, ULONG_MAX: '18446744073709551615', CS_PATH: '/bin:/usr/bin', _PHYS_PAGES: 6171021, LFS_CFLAGS: '-D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64' });
  });

  it('is left out with a note when getconf is missing', async () => {
    const { ctx, notes } = context({});
    expect(await sysconf(ctx)).toBeNull();
    expect(notes).toEqual(['sysconf: getconf not installed or failed']);
  });
});

describe('systemd-path', () => {
  it('maps names to paths', () => {
    expect(parseSystemdPath('temporary: /tmp\nsystem-library-arch: /usr/lib/x86_64-linux-gnu\nuser-configuration: /root/.config\n')).toEqual({
      temporary: '/tmp',
      'system-library-arch': '/usr/lib/x86_64-linux-gnu',
      'user-configuration': '/root/.config',
    });
  });
});

describe('hostnamectl', () => {
  it('names keys as Ohai does', () => {
    const text = ' Static hostname: web-01\n       Icon name: computer-vm\n         Chassis: vm\n      Machine ID: b1946ac92492d2347c6235b4d2611184\n Operating System: Debian GNU/Linux 12 (bookworm)\n          Kernel: Linux 6.1.0-27-amd64\n    Architecture: x86-64\n';
    expect(parseHostnamectl(text)).toEqual({
      static_hostname: 'web-01',
      icon_name: 'computer-vm',
      chassis: 'vm',
      machine_id: 'b1946ac92492d2347c6235b4d2611184',
      operating_system: 'Debian GNU/Linux 12 (bookworm)',
      kernel: 'Linux 6.1.0-27-amd64',
      architecture: 'x86-64',
    });
  });

  it('is empty, with a note, without systemd-hostnamed', async () => {
    const { ctx, notes } = context({});
    expect(await hostnamectl(ctx)).toEqual({});
    expect(notes).toEqual(['hostnamectl: not installed or no systemd-hostnamed (D-Bus) to answer']);
  });
});

describe('/proc/net/dev', () => {
  it('reads rx and tx counters per interface and skips the two header lines', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '  ens3: 1000 10 1 2 3 4 5 6 2000 20 7 8 9 10 11 12',
      '',
    ].join('\n');
    expect(parseNetDev(text)).toEqual({
      ens3: { rx: { bytes: 1000, packets: 10, errors: 1, drop: 2, fifo: 3, frame: 4, compressed: 5, multicast: 6 }, tx: { bytes: 2000, packets: 20, errors: 7, drop: 8, fifo: 9, collisions: 10, carrier: 11, compressed: 12 } },
    });
  });
});

describe('languages', () => {
  const GCC = 'Using built-in specs.\nCOLLECT_GCC=gcc\nTarget: x86_64-linux-gnu\nConfigured with: ../src/configure -v --prefix=/usr\nThread model: posix\nSupported LTO compression algorithms: zlib zstd\ngcc version 12.2.0 (Debian 12.2.0-14)\n';
  const RELEASE = 'IMPLEMENTOR="Debian"\nJAVA_RUNTIME_VERSION="17.0.13+11-Debian-2deb12u1"\nJAVA_VERSION="17.0.13"\nOS_NAME="Linux"\n';

  it('parses each tool\'s version output', () => {
    expect(parseGcc(GCC)).toEqual({ gcc: { version: '12.2.0', target: 'x86_64-linux-gnu', configured_with: '../src/configure -v --prefix=/usr', thread_model: 'posix' } });
    expect(parseJavaRelease(RELEASE)).toEqual({ version: '17.0.13', runtime: { build: '17.0.13+11-Debian-2deb12u1' }, implementor: 'Debian' });
    expect(parsePerl("version='5.36.0';\narchname='x86_64-linux-gnu-thread-multi';\n")).toEqual({ version: '5.36.0', archname: 'x86_64-linux-gnu-thread-multi' });
    expect(parsePython('Python 3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]\n')).toEqual({ version: '3.11.2', builddate: 'Mar 13 2023, 12:18:29' });
    expect(parseRuby('ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]\n')).toEqual({ version: '3.1.2', release_date: '2022-04-12', platform: 'x86_64-linux-gnu' });
    expect(parsePython('command not found')).toBeNull();
  });

  it('runs only the tools that exist, reads Java from its release file without starting a JVM, and notes unreadable ones', async () => {
    const { ctx, notes, ran } = context({
      executables: { gcc: '/usr/bin/gcc', java: '/usr/bin/java', node: '/usr/bin/node', perl: '/usr/bin/perl', go: '/usr/local/go/bin/go' },
      files: { '/usr/lib/jvm/java-17-openjdk-amd64/release': RELEASE },
      commands: { '/usr/bin/gcc -v': GCC, '/usr/bin/node --version': 'v20.18.1\n', '/usr/local/go/bin/go version': 'go version go1.22.5 linux/amd64\n', '/usr/bin/perl -V:version -V:archname': 'garbage' },
    });
    expect(await languages(ctx)).toEqual({
      c: { gcc: { version: '12.2.0', target: 'x86_64-linux-gnu', configured_with: '../src/configure -v --prefix=/usr', thread_model: 'posix' } },
      go: { version: '1.22.5' },
      java: { version: '17.0.13', runtime: { build: '17.0.13+11-Debian-2deb12u1' }, implementor: 'Debian' },
      nodejs: { version: '20.18.1' },
    });
    expect(ran.sort()).toEqual(['/usr/bin/gcc -v', '/usr/bin/node --version', '/usr/bin/perl -V:version -V:archname', '/usr/local/go/bin/go version']);
    expect(notes).toEqual(['languages: perl found at /usr/bin/perl but its version could not be read']);
  });
});

describe('docker', () => {
  it('maps docker info to Ohai\'s shape', () => {
    const info = JSON.stringify({ ServerVersion: '24.0.7-1', DockerRootDir: '/var/lib/docker', Containers: 3, ContainersRunning: 1, ContainersPaused: 0, ContainersStopped: 2, Runtimes: { runc: { path: 'runc' } }, IPv4Forwarding: true, Swarm: { LocalNodeState: 'inactive' } });
    expect(parseDockerInfo(info)).toEqual({
      version_string: '24.0.7-1',
      version: '24.0.7',
      runtimes: { runc: { path: 'runc' } },
      root_dir: '/var/lib/docker',
      containers: { total: 3, running: 1, paused: 0, stopped: 2 },
      plugins: null,
      networking: { ipv4_forwarding: true, bridge_nf_iptables: null, bridge_nf_ipv6_iptables: null },
      swarm: { LocalNodeState: 'inactive' },
    });
    expect(parseDockerInfo('[1]')).toBeNull();
    expect(parseDockerInfo('Cannot connect to the Docker daemon')).toBeNull();
  });

  it('asks the daemon only when its socket exists, and notes a refusal', async () => {
    const absent = context({});
    expect(await docker(absent.ctx)).toEqual({});
    expect(absent.ran).toEqual([]);
    const refused = context({ files: { 'run/docker.sock': '' } });
    expect(await docker(refused.ctx)).toEqual({});
    expect(refused.ran).toEqual(['docker info --format {{json .}}']);
    expect(refused.notes).toEqual(['docker: a daemon socket exists but `docker info` failed (needs root or the docker group)']);
  });
});

describe('cloud', () => {
  it('names the provider from DMI only', async () => {
    expect(await cloud(context({ files: { 'sys/class/dmi/id/sys_vendor': 'Amazon EC2\n' } }).ctx)).toEqual({ provider: 'ec2', detected_by: 'dmi sys_vendor' });
    expect(await cloud(context({ files: { 'sys/class/dmi/id/chassis_asset_tag': '7783-7084-3265-9085-8269-3286-77\n' } }).ctx)).toEqual({ provider: 'azure', detected_by: 'dmi chassis_asset_tag' });
    expect(await cloud(context({ files: { 'sys/class/dmi/id/sys_vendor': 'QEMU\n' } }).ctx)).toEqual({ provider: null, detected_by: null });
  });
});
