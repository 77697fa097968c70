/**
 * consul-template's KV v2 path rules (dependency/vault_read.go, vault_list.go): on a v2
 * mount `secret/x` reads `secret/data/x`; paths already under data/ or metadata/ are kept.
 */
function join(...parts: string[]): string {
  // path.Join: clean duplicate and trailing slashes.
  return parts
    .join('/')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

export function shimKvV2Path(rawPath: string, mountPath: string): string {
  if (rawPath === mountPath || rawPath === mountPath.replace(/\/$/, '')) return join(mountPath, 'data');
  const p = rawPath.startsWith(mountPath) ? rawPath.slice(mountPath.length) : rawPath;
  if (p.startsWith('data/') || p.startsWith('metadata/')) return rawPath;
  return join(mountPath, 'data', p);
}

export function shimKvV2ListPath(rawPath: string, mountPath: string): string {
  const mount = mountPath.replace(/\/$/, '');
  if (rawPath.startsWith(join(mount, 'metadata'))) return rawPath;
  if (rawPath === mount) return join(mount, 'metadata');
  return join(mount, 'metadata', rawPath.startsWith(mount) ? rawPath.slice(mount.length) : rawPath);
}

/** NewVaultReadQuery: trim spaces and slashes, split off the query string. */
export function parseSecretPath(s: string): { path: string; query: Record<string, string> } {
  const trimmed = s.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') throw new Error(`vault.read: invalid format: "${trimmed}"`);
  const q = trimmed.indexOf('?');
  const path = q < 0 ? trimmed : trimmed.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(trimmed.slice(q + 1))) if (!(k in query)) query[k] = v;
  return { path: decodeURIComponent(path), query };
}
