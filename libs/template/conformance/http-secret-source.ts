import type { SecretSource } from '../src';

/** A SecretSource over OpenBao's HTTP API with plain fetch, for the conformance suite only. */
export function httpSecretSource(address: string, token: string): SecretSource {
  const call = async (method: string, path: string, query?: Readonly<Record<string, string>>, body?: unknown): Promise<string | null> => {
    const qs = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query as Record<string, string>)}` : '';
    const response = await fetch(`${address}/v1/${path}${qs}`, {
      method,
      headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 404 || response.status === 204) return null;
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text;
  };
  return {
    read: (path, query) => call('GET', path, query),
    list: (path) => call('LIST', path),
    write: (path, data) => call('PUT', path, undefined, data),
  };
}
