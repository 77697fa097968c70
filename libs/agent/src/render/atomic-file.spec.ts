import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file';

// A reader in another process reads the file in a tight loop while it is re-rendered 1,000
// times; every read must be one complete version (64 KiB, one repeated marker), never empty
// or mixed. The reader is a separate process so reads really interleave with the writes.
const READER = `
const fs = require('node:fs');
const [file, stopFile] = process.argv.slice(1);
let reads = 0, bad = 0, missing = 0;
while (!fs.existsSync(stopFile)) {
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch { missing++; continue; }
  reads++;
  const m = /^v(\\d+)\\n/.exec(text);
  if (!m || text.length !== 65536 || text !== ('v' + m[1] + '\\n').padEnd(65536, m[1].slice(-1))) bad++;
}
process.stdout.write(JSON.stringify({ reads, bad, missing }));
`;

const version = (n: number) => `v${n}\n`.padEnd(65536, String(n).slice(-1));

describe('writeFileAtomic', () => {
  it('never shows a reader a partial or empty file across 1,000 re-renders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opzero-atomic-'));
    try {
      const file = join(dir, 'secret');
      await writeFileAtomic(file, version(0), 0o640);
      const reader = spawn(process.execPath, ['-e', READER, file, join(dir, 'stop')], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const done = new Promise<void>((resolve) => reader.on('close', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 1; i <= 1000; i++) await writeFileAtomic(file, version(i), 0o640);
      await writeFileAtomic(join(dir, 'stop'), '', 0o600);
      await done;
      const result = JSON.parse(out) as { reads: number; bad: number; missing: number };
      expect({ bad: result.bad, missing: result.missing, someReads: result.reads > 100 }).toEqual({ bad: 0, missing: 0, someReads: true });
      expect((await stat(file)).mode & 0o777).toBe(0o640);
      expect((await readdir(dir)).sort()).toEqual(['secret', 'stop']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('applies the mode exactly, whatever the umask', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opzero-atomic-'));
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, 'a'), 'x', 0o644);
      expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o644);
    } finally {
      process.umask(old);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
