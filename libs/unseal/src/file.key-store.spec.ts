import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore } from './file.key-store';
import { keyStoreContract } from './testing/key-store-contract';

describe('FileKeyStore', () => {
  const newPath = async () => join(await mkdtemp(join(tmpdir(), 'keys-')), 'keys.json');

  keyStoreContract(async () => new FileKeyStore(await newPath()));

  it('writes the file owner-only and names the file when its content is not keys', async () => {
    const path = await newPath();
    const store = new FileKeyStore(path);
    await store.create({ format: 'opzero-unseal/v1', state: 'pending-init', kind: 'unseal', createdAt: 'now', threshold: 1, shares: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await chmod(path, 0o600);
    await writeFile(path, '{"format":"opzero-unseal/v1","state":"complete"}');
    await expect(store.load()).rejects.toThrow(`file ${path}: stored keys are invalid at kind`);
    await writeFile(path, 'not json');
    await expect(store.load()).rejects.toThrow(/stored keys are not JSON/);
  });
});
