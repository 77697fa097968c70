import type { CatalogNode, CatalogServiceInstance, KvEntry, SessionInfo } from './consul-types';

/** Consul's PascalCase JSON objects, read defensively: a missing field becomes an empty value. */
type Raw = Record<string, unknown>;

const str = (raw: Raw, name: string): string => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
const num = (raw: Raw, name: string): number => (typeof raw[name] === 'number' ? (raw[name] as number) : 0);
const strings = (raw: Raw, name: string): Record<string, string> => {
  const value = raw[name];
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
};
const asRaw = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});

/** KV entries from the consul package, whose `Value` it has already base64-decoded to text. */
export function decodeKvEntries(data: unknown): KvEntry[] {
  const items = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
  return items.map(asRaw).map((raw) => ({
    key: str(raw, 'Key'),
    value: typeof raw['Value'] === 'string' ? raw['Value'] : null,
    modifyIndex: num(raw, 'ModifyIndex'),
    createIndex: num(raw, 'CreateIndex'),
    flags: num(raw, 'Flags'),
    lockIndex: num(raw, 'LockIndex'),
    ...(typeof raw['Session'] === 'string' ? { session: raw['Session'] } : {}),
  }));
}

export function decodeCatalogNode(value: unknown): CatalogNode {
  const raw = asRaw(value);
  return {
    id: str(raw, 'ID'),
    node: str(raw, 'Node'),
    address: str(raw, 'Address'),
    datacenter: str(raw, 'Datacenter'),
    taggedAddresses: strings(raw, 'TaggedAddresses'),
    meta: strings(raw, 'Meta'),
    createIndex: num(raw, 'CreateIndex'),
    modifyIndex: num(raw, 'ModifyIndex'),
  };
}

export function decodeServiceInstance(value: unknown): CatalogServiceInstance {
  const raw = asRaw(value);
  return {
    node: str(raw, 'Node'),
    address: str(raw, 'Address'),
    datacenter: str(raw, 'Datacenter'),
    nodeMeta: strings(raw, 'NodeMeta'),
    serviceId: str(raw, 'ServiceID'),
    serviceName: str(raw, 'ServiceName'),
    serviceAddress: str(raw, 'ServiceAddress'),
    servicePort: num(raw, 'ServicePort'),
    serviceTags: Array.isArray(raw['ServiceTags']) ? raw['ServiceTags'].filter((tag): tag is string => typeof tag === 'string') : [],
    serviceMeta: strings(raw, 'ServiceMeta'),
    modifyIndex: num(raw, 'ModifyIndex'),
  };
}

export function decodeSession(value: unknown): SessionInfo {
  const raw = asRaw(value);
  return {
    id: str(raw, 'ID'),
    name: str(raw, 'Name'),
    node: str(raw, 'Node'),
    ttl: str(raw, 'TTL'),
    behavior: str(raw, 'Behavior'),
    lockDelay: num(raw, 'LockDelay'),
    createIndex: num(raw, 'CreateIndex'),
    modifyIndex: num(raw, 'ModifyIndex'),
  };
}
