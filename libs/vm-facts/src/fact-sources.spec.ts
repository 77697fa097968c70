import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, readBounded } from './fact-sources';

describe('readBounded', () => {
  it('reads a file across growing chunks whole, or only its first maxBytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vm-facts-read-'));
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
    await writeFile(join(dir, 'big'), text);
    expect(await readBounded(join(dir, 'big'), 1024 * 1024)).toBe(text);
    expect(await readBounded(join(dir, 'big'), 3000)).toBe(text.slice(0, 3000));
    expect(await readBounded(join(dir, 'absent'), 100)).toBeNull();
  });
});

describe('findExecutable', () => {
  it('takes the first executable on the path, skipping shim directories and relative entries', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vm-facts-path-'));
    for (const dir of ['shims', 'bin', 'later']) await mkdir(join(root, dir));
    for (const dir of ['shims', 'bin', 'later']) {
      await writeFile(join(root, dir, 'tool'), '#!/bin/sh\n');
      await chmod(join(root, dir, 'tool'), 0o755);
    }
    await writeFile(join(root, 'bin', 'plain'), 'not executable');
    expect(await findExecutable('tool', `relative:${join(root, 'shims')}:${join(root, 'bin')}:${join(root, 'later')}`)).toBe(join(root, 'bin', 'tool'));
    expect(await findExecutable('plain', join(root, 'bin'))).toBeNull();
  });
});
