import type { Collector } from './collectors/collector';
import { cpu, dmi, memory, virtualization } from './collectors/hardware';
import { network } from './collectors/network';
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
  { section: 'network', collect: network, ohai: ['network', 'ipaddress', 'macaddress', 'ip6address'] },
  { section: 'uptime', collect: uptime, ohai: ['uptime', 'uptime_seconds', 'idletime', 'idletime_seconds'] },
  { section: 'timezone', collect: timezone, ohai: ['time'] },
  { section: 'virtualization', collect: virtualization, ohai: ['virtualization'] },
  { section: 'dmi', collect: dmi, ohai: ['dmi'] },
  { section: 'packages', collect: packages, ohai: ['packages'] },
  { section: 'init', collect: init, ohai: ['init_package'] },
  { section: 'accounts', collect: accounts, ohai: ['etc', 'current_user', 'root_group'] },
  { section: 'shells', collect: shells, ohai: ['shells'] },
  { section: 'usage', collect: usage, ohai: [] },
];

/** Sections the collector writes itself (plugins may not take these names). */
export const BUILT_IN_SECTIONS: ReadonlySet<string> = new Set([...FACT_FAMILIES.map((f) => f.section), 'collector']);

/** Ohai attributes our families already cover (not copied from an Ohai input). */
export const OHAI_COVERED: ReadonlySet<string> = new Set(FACT_FAMILIES.flatMap((f) => f.ohai));
