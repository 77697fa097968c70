import { readTrimmed, type Collector } from './collector';

/** Interfaces (MAC, MTU, state, addresses), routes, the default gateway and its interface's IPv4 (Ohai `ipaddress`). */
export const network: Collector = async (context) => {
  const names = (await context.sources.list('sys/class/net')) ?? [];
  const live = context.sources.networkInterfaces();
  const interfaces: Record<string, unknown> = {};
  for (const name of [...new Set([...names, ...Object.keys(live)])].sort()) {
    const read = (file: string) => readTrimmed(context, `sys/class/net/${name}/${file}`);
    const [mac, mtu, state] = await Promise.all([read('address'), read('mtu'), read('operstate')]);
    const addresses = (live[name] ?? []).map((a) => ({ family: a.family, address: a.address, prefixlen: Number(a.cidr?.split('/')[1] ?? 0) }));
    interfaces[name] = { mac: mac ?? live[name]?.[0]?.mac ?? '', mtu: Number(mtu ?? 0), state: state ?? 'unknown', addresses };
  }
  const routes = parseRoutes((await context.sources.readText('proc/net/route')) ?? '');
  const gateway = routes.find((route) => route.destination === '0.0.0.0/0');
  const routes6 = parseIpv6Routes((await context.sources.readText('proc/net/ipv6_route')) ?? '');
  const gateway6 = routes6.find((route) => route.destination === '::/0' && route.gateway !== '::');
  const primary = (live[gateway?.interface ?? ''] ?? []).find((address) => address.family === 'IPv4');
  return {
    interfaces,
    routes,
    default_interface: gateway?.interface ?? '',
    ipaddress: primary?.address ?? '',
    default_gateway: gateway?.gateway ?? '',
    routes6,
    default_gateway6: gateway6?.gateway ?? '',
  };
};

interface Route {
  interface: string;
  destination: string;
  gateway: string;
  metric: number;
}

/** /proc/net/route: little-endian hex addresses and masks. */
export function parseRoutes(text: string): Route[] {
  const routes: Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [iface, destination, gateway, , , , metric, mask] = fields as [string, string, string, string, string, string, string, string];
    const prefix = hexToIp(mask).split('.').reduce((bits, octet) => bits + countBits(Number(octet)), 0);
    routes.push({ interface: iface, destination: `${hexToIp(destination)}/${prefix}`, gateway: hexToIp(gateway), metric: Number(metric) });
  }
  return routes;
}

function hexToIp(hex: string): string {
  const value = parseInt(hex, 16) >>> 0;
  return [value & 255, (value >>> 8) & 255, (value >>> 16) & 255, (value >>> 24) & 255].join('.');
}

function countBits(octet: number): number {
  let bits = 0;
  for (let v = octet; v; v >>= 1) bits += v & 1;
  return bits;
}

/** /proc/net/ipv6_route: 32-hex-digit addresses, hex prefix lengths; local and loopback routes left out. */
export function parseIpv6Routes(text: string): Route[] {
  const routes: Route[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [destination, prefix, , , gateway, metric, , , , iface] = fields as [string, string, string, string, string, string, string, string, string, string];
    if (iface === 'lo') continue;
    routes.push({ interface: iface, destination: `${hexToIpv6(destination)}/${parseInt(prefix, 16)}`, gateway: hexToIpv6(gateway), metric: parseInt(metric, 16) });
  }
  return routes;
}

/** 32 hex digits to the compressed text form (the longest run of zero groups as `::`). */
function hexToIpv6(hex: string): string {
  const groups = (hex.match(/.{4}/g) ?? []).map((group) => parseInt(group, 16).toString(16));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

const RX_FIELDS = ['bytes', 'packets', 'errors', 'drop', 'fifo', 'frame', 'compressed', 'multicast'] as const;
const TX_FIELDS = ['bytes', 'packets', 'errors', 'drop', 'fifo', 'collisions', 'carrier', 'compressed'] as const;

/** /proc/net/dev (Ohai `counters.network.interfaces`): per interface, rx and tx counters as numbers. */
export function parseNetDev(text: string): Record<string, { rx: Record<string, number>; tx: Record<string, number> }> {
  const interfaces: Record<string, { rx: Record<string, number>; tx: Record<string, number> }> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0 || line.includes('|')) continue;
    const values = line.slice(at + 1).trim().split(/\s+/).map(Number);
    if (values.length < 16 || values.some((value) => !Number.isFinite(value))) continue;
    const pick = (fields: readonly string[], offset: number) => Object.fromEntries(fields.map((field, i) => [field, values[offset + i]!]));
    interfaces[line.slice(0, at).trim()] = { rx: pick(RX_FIELDS, 0), tx: pick(TX_FIELDS, 8) };
  }
  return interfaces;
}
