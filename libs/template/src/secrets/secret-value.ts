import { decodeJson } from '../core/json-decode';
import { GoNilPointer, GoStruct, isMap, nilSlice, typedMap, typedSlice, type GoMap, type GoValue } from '../core/go-value';

const AUTH_FIELDS = ['ClientToken', 'Accessor', 'Policies', 'Metadata', 'LeaseDuration', 'Renewable'];
const WRAP_FIELDS = ['Token', 'TTL', 'CreationTime', 'WrappedAccessor'];

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');
const int = (v: GoValue): bigint => {
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object' && 'text' in v) return BigInt(Math.trunc(Number((v as { text: string }).text)));
  return 0n;
};
const strings = (v: GoValue): GoValue[] =>
  Array.isArray(v) && v.length > 0 ? typedSlice(v.map((e) => (typeof e === 'string' ? e : '')), 'string') : nilSlice('string');

/**
 * The `*dependency.Secret` a template sees: Vault's response body turned into consul-template's
 * struct (RequestID, LeaseID, LeaseDuration, Renewable, Data, Warnings, Auth, WrapInfo).
 */
export function secretFromBody(body: string): GoStruct {
  const raw = decodeJson(body);
  const r: GoMap = isMap(raw) ? raw : {};
  const data = r['data'];
  const auth = r['auth'];
  const fields = new Map<string, GoValue>([
    ['RequestID', str(r['request_id'] ?? null)],
    ['LeaseID', str(r['lease_id'] ?? null)],
    ['LeaseDuration', int(r['lease_duration'] ?? null)],
    ['Renewable', r['renewable'] === true],
    ['Data', isMap(data ?? null) ? (data as GoMap) : {}],
    ['Warnings', strings(r['warnings'] ?? null)],
    ['Auth', isMap(auth ?? null) ? authStruct(auth as GoMap) : new GoNilPointer('*dependency.SecretAuth', AUTH_FIELDS)],
    ['WrapInfo', new GoNilPointer('*dependency.SecretWrapInfo', WRAP_FIELDS)],
  ]);
  return new GoStruct('dependency.Secret', fields);
}

function authStruct(a: GoMap): GoStruct {
  const metadata: GoMap = {};
  const md = a['metadata'];
  if (isMap(md ?? null)) for (const [k, v] of Object.entries(md as GoMap)) metadata[k] = typeof v === 'string' ? v : '';
  return new GoStruct(
    'dependency.SecretAuth',
    new Map<string, GoValue>([
      ['ClientToken', str(a['client_token'] ?? null)],
      ['Accessor', str(a['accessor'] ?? null)],
      ['Policies', strings(a['policies'] ?? null)],
      ['Metadata', typedMap(metadata, 'string')],
      ['LeaseDuration', int(a['lease_duration'] ?? null)],
      ['Renewable', a['renewable'] === true],
    ]),
  );
}

/** A deleted KV v2 version reads as "no secret" (deletedKVv2 in vault_read.go). */
export function isDeletedKvV2(secret: GoStruct): boolean {
  const data = secret.fields.get('Data');
  if (!isMap(data ?? null)) return false;
  const md = (data as GoMap)['metadata'];
  if (!isMap(md ?? null)) return false;
  return (md as GoMap)['deletion_time'] !== '';
}
