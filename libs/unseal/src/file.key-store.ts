import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KeyStoreConflict, type KeyStore, type Revisioned } from './key-store';
import { parseStoredKeys, type StoredKeys } from './stored-keys';

/**
 * Keys in one JSON file (mode 0600). Writes go to a temporary file that is fsynced, then
 * linked (create: fails if the file exists) or renamed over the old one (replace), so a crash
 * leaves the old or the new document, never a torn one. The revision is size and mtime in ns;
 * replace checks it right before the rename (one process per file is the expected use).
 */
export class FileKeyStore implements KeyStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async load(): Promise<Revisioned<StoredKeys> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return { value: parseStoredKeys(text, this.description), revision: await this.revision() };
  }

  async create(keys: StoredKeys): Promise<string> {
    const temporary = await this.writeTemporary(keys);
    try {
      await link(temporary, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyStoreConflict(this.description, 'the file already exists');
      throw error;
    } finally {
      await unlink(temporary);
    }
    return this.revision();
  }

  async replace(keys: StoredKeys, revision: string): Promise<string> {
    const temporary = await this.writeTemporary(keys);
    const current = await this.revision().catch(() => 'absent');
    if (current !== revision) {
      await unlink(temporary);
      throw new KeyStoreConflict(this.description, `the file changed since it was read`);
    }
    await rename(temporary, this.path);
    return this.revision();
  }

  private async writeTemporary(keys: StoredKeys): Promise<string> {
    const temporary = join(dirname(this.path), `.${randomUUID()}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(keys));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  }

  private async revision(): Promise<string> {
    const info = await stat(this.path, { bigint: true });
    return `${info.size}:${info.mtimeNs}:${info.ino}`;
  }
}
