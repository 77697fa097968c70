import type { ConsulClient } from '@opzero/consul';
import { writeFacts, type WriteReport } from './fact-writer';

type Facts = Record<string, Record<string, unknown>>;

/** Command-line switches of the collector. */
export interface CollectorArgs {
  once: boolean;
  /** Seconds between runs with `--interval`; null with `--once`/`--print`. */
  intervalSeconds: number | null;
  print: boolean;
}

/** `--once` (default), `--interval <seconds>`, `--print`; anything else is an error naming it. */
export function parseCollectorArgs(argv: readonly string[]): CollectorArgs {
  const args: CollectorArgs = { once: true, intervalSeconds: null, print: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--once') args.once = true;
    else if (arg === '--print') args.print = true;
    else if (arg === '--interval' || arg.startsWith('--interval=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const seconds = Number(text);
      if (!Number.isInteger(seconds) || seconds < 10 || seconds > 86_400) throw new Error(`--interval ${text ?? ''}: must be whole seconds from 10 to 86400`);
      args.intervalSeconds = seconds;
      args.once = false;
    } else throw new Error(`unknown argument ${arg.slice(0, 64)} (use --once, --interval <seconds>, --print)`);
  }
  if (args.print && args.intervalSeconds !== null) throw new Error('--print runs once; it cannot be combined with --interval');
  return args;
}

/** The node address to register: the default route's interface's first IPv4 address. */
export function defaultAddress(facts: Facts): string {
  const network = facts['network'] as { default_interface?: string; interfaces?: Record<string, { addresses?: { family: string; address: string }[] }> } | undefined;
  const addresses = network?.interfaces?.[network.default_interface ?? '']?.addresses ?? [];
  return addresses.find((a) => a.family === 'IPv4')?.address ?? '127.0.0.1';
}

export interface CollectorRunOptions {
  consul: ConsulClient;
  collect(): Promise<Facts>;
  node?: string;
  address?: string;
  usageMaxAgeMs?: number;
}

/** One collection and write; returns what was written. */
export async function collectAndWrite(options: CollectorRunOptions): Promise<WriteReport & { node: string }> {
  const facts = await options.collect();
  const node = options.node ?? String(facts['hostname']?.['hostname'] ?? '');
  const report = await writeFacts(options.consul, facts, {
    node,
    address: options.address ?? defaultAddress(facts),
    ...(options.usageMaxAgeMs !== undefined ? { usageMaxAgeMs: options.usageMaxAgeMs } : {}),
  });
  return { ...report, node };
}
