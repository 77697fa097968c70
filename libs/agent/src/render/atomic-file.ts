import { open, rename, rm, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

/**
 * Replaces `path` atomically: a temporary file in the same directory (so rename stays on one
 * filesystem), written, chmod-ed to `mode` (umask does not apply), fsync-ed, then renamed over
 * the old file (creating missing parent directories unless told not to, as token sinks do).
 * A reader sees the old content or the new, never a partial or empty file.
 */
export async function writeFileAtomic(path: string, content: string | Buffer, mode: number, createDirs = true): Promise<void> {
  const dir = dirname(path);
  if (createDirs) await mkdir(dir, { recursive: true, mode: 0o755 });
  // Unique per process and call; 'wx' refuses an existing name rather than reuse it (no crypto: its load costs start-up).
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${(sequence++).toString(36)}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
