import { KV1_MOUNT, kv1Secrets, kv2Secrets, kv2Versioned } from './fixtures';

/** Loads the fixtures into a fresh dev-mode OpenBao (KV v2 at secret/ already mounted). */
export async function seedVault(address: string, token: string): Promise<void> {
  const call = async (method: string, path: string, body: string): Promise<void> => {
    const response = await fetch(`${address}/v1/${path}`, { method, headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' }, body });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  };
  await call('POST', `sys/mounts/${KV1_MOUNT}`, JSON.stringify({ type: 'kv', options: { version: '1' } }));
  for (const [path, body] of Object.entries(kv2Secrets)) {
    await call('POST', `secret/data/${path}`, body.startsWith('{"data":') ? body : `{"data":${body}}`);
  }
  for (const body of kv2Versioned.versions) await call('POST', `secret/data/${kv2Versioned.path}`, `{"data":${body}}`);
  for (const [path, body] of Object.entries(kv1Secrets)) await call('POST', `${KV1_MOUNT}/${path}`, body);
}
