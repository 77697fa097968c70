const MAX_SEARCH_TEXT = 4096;

/**
 * The lower-case text free-text search matches: node name, host names, OS, kernel, CPU model,
 * DMI, virtualization, addresses and MACs (not the package list: `package=` filters that).
 */
export function searchTextOf(node: string, facts: Record<string, unknown>): string {
  const words: string[] = [node];
  const add = (value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') words.push(String(value));
  };
  const section = (name: string) => (facts[name] ?? {}) as Record<string, unknown>;
  for (const name of ['hostname', 'fqdn', 'domain']) add(section('hostname')[name]);
  for (const name of ['platform', 'platform_version', 'name']) add(section('platform')[name]);
  add(section('kernel')['release']);
  add(section('cpu')['model_name']);
  for (const value of Object.values(section('dmi'))) add(value);
  for (const value of Object.values(section('virtualization'))) add(value);
  const interfaces = (section('network')['interfaces'] ?? {}) as Record<string, { mac?: unknown; addresses?: { address?: unknown }[] }>;
  for (const [name, info] of Object.entries(interfaces)) {
    add(name);
    add(info?.mac);
    if (Array.isArray(info?.addresses)) for (const address of info.addresses) add(address?.address);
  }
  return words.join(' ').toLowerCase().slice(0, MAX_SEARCH_TEXT);
}
