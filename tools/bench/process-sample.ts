import { spawn } from 'node:child_process';

/** One run of a command: wall time (spawn to exit), user+system CPU and peak RSS. */
export interface ProcessSample {
  wallMs: number;
  cpuMs: number;
  rssKiB: number;
}

/** Runs a command under GNU time (`/usr/bin/time`) for its CPU and peak RSS; rejects on a non-zero exit. */
export function measureProcess(bin: string, args: readonly string[], env?: Record<string, string>): Promise<ProcessSample> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'RSS=%M CPU=%U+%S', bin, ...args], { ...(env ? { env } : {}), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /RSS=(\d+) CPU=([\d.]+)\+([\d.]+)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve({ wallMs, rssKiB: Number(m[1]), cpuMs: (Number(m[2]) + Number(m[3])) * 1000 });
    });
  });
}
