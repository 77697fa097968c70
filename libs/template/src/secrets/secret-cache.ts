import { decodeJson } from '../core/json-decode';
import { GoStruct, compareGoStrings, isMap, nilSlice, typedSlice, type GoMap, type GoValue } from '../core/go-value';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseSecretPath, shimKvV2ListPath, shimKvV2Path } from './kv-path';
import { isDeletedKvV2, secretFromBody } from './secret-value';
import type { SecretSource } from './secret-source';

/** One data request a render needs: what `secret`, `secrets` or `pkiCert` asked for. */
export type SecretRequest =
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string; data: Record<string, string> }
  | { kind: 'list'; path: string }
  | { kind: 'pki'; path: string; data: Record<string, string> }
  /** getHostByName: `path` is the host name (no data; `data` stays empty for key functions written for the other kinds). */
  | { kind: 'host'; path: string; data: Record<string, string> };

export function requestKey(r: SecretRequest): string {
  switch (r.kind) {
    case 'read':
    case 'list':
    case 'host':
      return `${r.kind}:${r.path}`;
    default:
      return `${r.kind}:${r.path}:${JSON.stringify(Object.entries(r.data).sort())}`;
  }
}

/** Thrown when Vault has nothing at a path a template reads; the render fails, as the agent's does. */
export class SecretNotFoundError extends Error {}

/**
 * Fetched data, keyed by request. Rendering is synchronous against this cache: a render
 * records what is missing, the cache fetches it, and the render runs again, which is how
 * consul-template's runner resolves dependencies (including ones that depend on others).
 */
export class SecretCache {
  private readonly values = new Map<string, GoValue>();
  private readonly mounts = new Map<string, { mountPath: string; v2: boolean }>();

  constructor(private readonly source: SecretSource) {}

  get(key: string): GoValue | undefined {
    return this.values.get(key);
  }

  /** Forgets everything, so the next render reads fresh data. */
  clear(): void {
    this.values.clear();
  }

  async fetch(requests: Iterable<SecretRequest>): Promise<void> {
    await Promise.all(
      [...requests].map(async (r) => {
        this.values.set(requestKey(r), await this.load(r));
      }),
    );
  }

  private async mountOf(path: string): Promise<{ mountPath: string; v2: boolean }> {
    const hit = this.mounts.get(path);
    if (hit) return hit;
    let info = { mountPath: '', v2: false };
    const body = await this.source.read(`sys/internal/ui/mounts/${path}`).catch(() => null);
    if (body) {
      const parsed = decodeJson(body);
      const data = isMap(parsed) ? (parsed['data'] as GoMap | undefined) : undefined;
      if (data && isMap(data)) {
        const options = data['options'];
        const version = isMap(options ?? null) ? (options as GoMap)['version'] : undefined;
        info = { mountPath: typeof data['path'] === 'string' ? data['path'] : '', v2: version === '2' && data['type'] === 'kv' };
      }
    }
    this.mounts.set(path, info);
    return info;
  }

  private async load(r: SecretRequest): Promise<GoValue> {
    switch (r.kind) {
      case 'read': {
        const { path, query } = parseSecretPath(r.path);
        const mount = await this.mountOf(path);
        const secretPath = mount.v2 ? shimKvV2Path(path, mount.mountPath) : path;
        const body = await this.source.read(secretPath, query);
        if (body === null) throw new SecretNotFoundError(`no secret exists at ${secretPath}`);
        const secret = secretFromBody(body);
        if (isDeletedKvV2(secret)) throw new SecretNotFoundError(`no secret exists at ${secretPath}`);
        return secret;
      }
      case 'write': {
        const path = r.path.trim().replace(/^\/+|\/+$/g, '');
        const mount = await this.mountOf(path);
        const body = mount.v2
          ? await this.source.write(shimKvV2Path(path, mount.mountPath), { data: r.data })
          : await this.source.write(path, r.data);
        return secretFromBody(body ?? '{}');
      }
      case 'list': {
        const path = r.path.trim().replace(/^\/+|\/+$/g, '');
        const mount = await this.mountOf(path);
        const body = await this.source.list(mount.v2 ? shimKvV2ListPath(path, mount.mountPath) : path);
        const parsed = body ? decodeJson(body) : null;
        const data = isMap(parsed) ? parsed['data'] : undefined;
        const keys = isMap(data ?? null) ? (data as GoMap)['keys'] : undefined;
        const list = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
        // consul-template appends into a nil []string: nothing listed is nil (toJSON → null).
        return list.length === 0 ? nilSlice('string') : typedSlice(list.sort(compareGoStrings), 'string');
      }
      case 'host':
        return typedSlice([...(await lookupHost(r.path))], 'string');
      case 'pki': {
        const body = await this.source.write(r.path.trim().replace(/^\/+|\/+$/g, ''), r.data);
        if (body === null) throw new SecretNotFoundError(`no secret exists at ${r.path}`);
        return pemsFrom(secretFromBody(body));
      }
    }
  }
}

/** net.LookupHost: an IP literal is itself; a name resolves as the system does (hosts file, DNS); a failure is no address. */
export async function lookupHost(name: string): Promise<readonly string[]> {
  if (isIP(name)) return [name];
  try {
    return (await dnsLookup(name, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** pkiCert's PemEncoded{Cert, Key, CA}, taken from the PEM blocks the PKI engine returns. */
function pemsFrom(secret: GoStruct): GoValue {
  const data = secret.fields.get('Data') as GoMap;
  const text = Object.values(data)
    .filter((v): v is string => typeof v === 'string')
    .join('\n');
  const blocks = text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----\n?/g) ?? [];
  let cert = '';
  let key = '';
  let ca = '';
  for (const b of blocks) {
    const block = b.endsWith('\n') ? b : b + '\n';
    if (/PRIVATE KEY/.test(block)) key ||= block;
    else if (!cert) cert = block;
    else ca ||= block;
  }
  return new GoStruct('dependency.PemEncoded', new Map<string, GoValue>([['Cert', cert], ['Key', key], ['CA', ca]]), false);
}
