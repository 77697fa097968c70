import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open, readdir, readlink, realpath, statfs } from 'node:fs/promises';
import { hostname, machine, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';

/** Everything the collectors read from the machine; every read is bounded and never throws. */
export interface FactSources {
  /** A file's text (at most `maxBytes`), or null when absent or unreadable. */
  readText(path: string, maxBytes?: number): Promise<string | null>;
  /** The names in a directory, or null. */
  list(path: string): Promise<string[] | null>;
  /** A symlink's target, or null. */
  link(path: string): Promise<string | null>;
  /** Size and free space of a mounted filesystem, or null. */
  statfs(mountPoint: string): Promise<{ size: number; free: number; available: number } | null>;
  /** A command's stdout (then its stderr when `stderr`), or null on failure, timeout or oversized output. */
  run(command: string, args: string[], limits?: CommandLimits): Promise<string | null>;
  /** The first executable named `name` on the search path (version-manager shims skipped), or null. */
  findExecutable(name: string): Promise<string | null>;
  /** A path with every symlink resolved, or null. */
  realpath(path: string): Promise<string | null>;
  networkInterfaces(): Record<string, NetworkInterfaceInfo[] | undefined>;
  machine(): string;
  hostname(): string;
}

/** Bounds of one command; `stderr` appends its standard error (`gcc -v`, `java -version` print there). */
export interface CommandLimits {
  timeoutMs?: number;
  maxBytes?: number;
  stderr?: boolean;
}

/** Default per-file limit: facts files are small; /proc/modules and /etc/passwd stay far under it. */
export const DEFAULT_FILE_LIMIT = 1024 * 1024;
/** Default command limits (dpkg-query with thousands of packages fits). */
export const DEFAULT_COMMAND_LIMITS = { timeoutMs: 10_000, maxBytes: 8 * 1024 * 1024 };

/**
 * The live machine. `root` prefixes every file path, so tests point the collectors at a
 * fixture tree (`<root>/proc/cpuinfo`...); commands, statfs and os.* always read the live host.
 */
export function hostSources(root = '/'): FactSources {
  const at = (path: string) => join(root, path);
  return {
    readText: (path, maxBytes = DEFAULT_FILE_LIMIT) => readBounded(at(path), maxBytes),
    list: (path) => readdir(at(path)).catch(() => null),
    link: (path) => readlink(at(path)).catch(() => null),
    statfs: async (mountPoint) => {
      try {
        const s = await statfs(mountPoint);
        return { size: s.blocks * s.bsize, free: s.bfree * s.bsize, available: s.bavail * s.bsize };
      } catch {
        return null;
      }
    },
    run: (command, args, limits = {}) => runBounded(command, args, { ...DEFAULT_COMMAND_LIMITS, ...limits }),
    findExecutable: (name) => findExecutable(name, process.env['PATH'] ?? SYSTEM_PATH),
    realpath: (path) => realpath(at(path)).catch(() => null),
    networkInterfaces: () => networkInterfaces(),
    machine: () => machine(),
    hostname: () => hostname(),
  };
}

/**
 * Reads at most `maxBytes` of a file (procfs files report size 0, so this reads in chunks).
 * Chunks start at 1 KiB and double up to 64 KiB: most /sys and /proc files are a few bytes,
 * and a hundred of them are read at once, so 64 KiB each cost 6 MiB of peak RSS.
 */
export async function readBounded(path: string, maxBytes: number): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    let chunkSize = 1024;
    while (total < maxBytes) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes - total));
      chunkSize = Math.min(chunkSize * 2, 65536);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** systemd's search path for services: what the collector sees under its unit. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Looks a name up on a search path (only the path is read, never sent). Directories of
 * version-manager shims (pyenv, rbenv, asdf: `.../shims`) are skipped: a shim is a shell script
 * that forks a dozen processes (0.3-0.6 s for `python` here) to pick a version.
 */
export async function findExecutable(name: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(':')) {
    if (!dir.startsWith('/') || /\/shims\/?$/.test(dir)) continue;
    const candidate = join(dir, name);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return null;
}

/** Runs a command without a shell, with an empty environment apart from PATH and LC_ALL=C. */
export function runBounded(command: string, args: string[], limits: Required<Omit<CommandLimits, 'stderr'>> & CommandLimits): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: limits.timeoutMs, maxBuffer: limits.maxBytes, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' }, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => resolve(error ? null : limits.stderr ? stdout + stderr : stdout),
    );
  });
}
