import type { Collector } from './collectors/collector';
import { cpu, dmi, memory, virtualization } from './collectors/hardware';
import { cloud } from './collectors/cloud';
import { docker } from './collectors/docker';
import { command, hostnamectl, keys, machineId, opzeroPackages } from './collectors/identity';
import { languages } from './collectors/languages';
import { network } from './collectors/network';
import { sysconf, systemdPaths } from './collectors/os-config';
import { host, kernel, platform } from './collectors/platform';
import { blockDevices, filesystem } from './collectors/storage';
import { accounts, init, packages, shells, timezone, uptime, usage } from './collectors/system';

/** One fact family: its Consul section, its collector, and the Ohai top-level attributes it covers. */
export interface FactFamily {
  section: string;
  collect: Collector;
  ohai: readonly string[];
}

/** Every built-in family, in output order. */
export const FACT_FAMILIES: readonly FactFamily[] = [
  { section: 'platform', collect: platform, ohai: ['platform', 'platform_version', 'platform_family', 'os', 'os_version', 'lsb', 'os_release'] },
  { section: 'kernel', collect: kernel, ohai: ['kernel', 'fips'] },
  { section: 'hostname', collect: host, ohai: ['hostname', 'machinename', 'fqdn', 'domain'] },
  { section: 'cpu', collect: cpu, ohai: ['cpu'] },
  { section: 'memory', collect: memory, ohai: ['memory'] },
  { section: 'filesystem', collect: filesystem, ohai: ['filesystem'] },
  { section: 'block_device', collect: blockDevices, ohai: ['block_device'] },
  { section: 'network', collect: network, ohai: ['network', 'ipaddress', 'IPAddress', 'macaddress', 'ip6address'] },
  { section: 'uptime', collect: uptime, ohai: ['uptime', 'uptime_seconds', 'idletime', 'idletime_seconds'] },
  { section: 'timezone', collect: timezone, ohai: ['time'] },
  { section: 'virtualization', collect: virtualization, ohai: ['virtualization'] },
  { section: 'dmi', collect: dmi, ohai: ['dmi'] },
  { section: 'packages', collect: packages, ohai: ['packages'] },
  { section: 'init', collect: init, ohai: ['init_package'] },
  { section: 'accounts', collect: accounts, ohai: ['etc', 'current_user', 'root_group'] },
  { section: 'shells', collect: shells, ohai: ['shells'] },
  { section: 'machine_id', collect: machineId, ohai: ['machine_id'] },
  { section: 'hostnamectl', collect: hostnamectl, ohai: ['hostnamectl'] },
  { section: 'sysconf', collect: sysconf, ohai: ['sysconf'] },
  { section: 'systemd_paths', collect: systemdPaths, ohai: ['systemd_paths'] },
  { section: 'keys', collect: keys, ohai: ['keys'] },
  { section: 'languages', collect: languages, ohai: ['languages'] },
  { section: 'docker', collect: docker, ohai: ['docker'] },
  { section: 'cloud', collect: cloud, ohai: ['cloud'] },
  { section: 'command', collect: command, ohai: ['command'] },
  // Ohai's chef_packages lists Chef's and Ohai's own versions; ours lists the collector's.
  { section: 'opzero_packages', collect: opzeroPackages, ohai: ['chef_packages'] },
  // Moves every run, so written on its own schedule: counters and ohai_time live here.
  { section: 'usage', collect: usage, ohai: ['counters', 'ohai_time'] },
];

/** Sections the collector writes itself (plugins may not take these names). */
export const BUILT_IN_SECTIONS: ReadonlySet<string> = new Set([...FACT_FAMILIES.map((f) => f.section), 'collector']);

/** Ohai attributes our families already cover (not copied from an Ohai input). */
export const OHAI_COVERED: ReadonlySet<string> = new Set(FACT_FAMILIES.flatMap((f) => f.ohai));
