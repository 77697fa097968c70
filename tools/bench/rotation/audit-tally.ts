import { open } from 'node:fs/promises';

/** Who sent a request, from the token's display name the bench gave it (`token-<who>-<n>`). */
export type Client = 'service' | 'bao agent, 5 s' | 'opzero, 5 s, no service' | 'opzero + service' | 'bench' | 'other';
/** What the request was for, from its path. */
export type Purpose = 'metadata watch' | 'secret read' | 'mount lookup' | 'grant check' | 'token lookup/renew' | 'other';

/** Token display names per client (Vault prefixes them with `token-`). */
export const DISPLAY_NAMES: Record<Exclude<Client, 'bench' | 'other'>, string> = {
  service: 'svc',
  'bao agent, 5 s': 'bao',
  'opzero, 5 s, no service': 'poll',
  'opzero + service': 'push',
};

/** Counts of handled requests by client and purpose. */
export class Tally {
  readonly counts = new Map<string, number>();

  add(client: Client, purpose: Purpose): void {
    const key = `${client}|${purpose}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Requests of `client` (every purpose, or only those given). */
  of(client: Client, purposes?: readonly Purpose[]): number {
    let total = 0;
    for (const [key, count] of this.counts) {
      const [who, purpose] = key.split('|') as [Client, Purpose];
      if (who === client && (!purposes || purposes.includes(purpose))) total += count;
    }
    return total;
  }
}

function clientOf(displayName: string | undefined): Client {
  if (displayName === 'root') return 'bench';
  for (const [client, name] of Object.entries(DISPLAY_NAMES)) {
    if (displayName === `token-${name}` || displayName?.startsWith(`token-${name}-`)) return client as Client;
  }
  return 'other';
}

function purposeOf(path: string): Purpose {
  if (/^[^/]+\/(detailed-)?metadata\//.test(path)) return 'metadata watch';
  if (path.startsWith('sys/internal/ui/mounts/')) return 'mount lookup';
  if (path === 'sys/capabilities-self') return 'grant check';
  if (path.startsWith('auth/token/')) return 'token lookup/renew';
  if (/^[^/]+\/data\//.test(path)) return 'secret read';
  return 'other';
}

/**
 * OpenBao's file audit device, read between two byte offsets: one `response` entry per handled
 * request, attributed by the token's display name and the request path. This is Vault's own
 * record, so every request is counted whoever sent it (the service's grant checks carry the
 * pod's token and so count under that pod's way, purpose `grant check`).
 */
export class AuditLog {
  constructor(private readonly file: string) {}

  /** The log's current size: a window starts or ends here. */
  async offset(): Promise<number> {
    const handle = await open(this.file, 'r');
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  /** Requests answered between the two offsets (the bench's own sys/ reads as `bench`). */
  async tally(from: number, to: number): Promise<Tally> {
    const handle = await open(this.file, 'r');
    const buffer = Buffer.alloc(to - from);
    try {
      await handle.read(buffer, 0, buffer.length, from);
    } finally {
      await handle.close();
    }
    const tally = new Tally();
    for (const line of buffer.toString('utf8').split('\n')) {
      if (!line.includes('"type":"response"') && !line.includes('"type": "response"')) continue;
      const entry = JSON.parse(line) as { auth?: { display_name?: string }; request?: { path?: string } };
      tally.add(clientOf(entry.auth?.display_name), purposeOf(entry.request?.path ?? ''));
    }
    return tally;
  }
}
