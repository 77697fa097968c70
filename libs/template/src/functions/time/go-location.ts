import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tzset } from './go-tzset';

/**
 * Go's time.Location: zones read from the same TZif files Go reads (/usr/share/zoneinfo,
 * /etc/localtime), so offsets and abbreviations (`CET`, `EDT`) are the agent's; past a
 * file's last transition the POSIX rule in its footer applies (go-tzset.ts), as in Go.
 */
interface Zone {
  name: string;
  offset: number;
  isDST: boolean;
}

export interface ZoneAt {
  name: string;
  offset: number;
  /** The span [start, end) of Unix seconds the zone holds for. */
  start: number;
  end: number;
}

const ALPHA = -Infinity;
const OMEGA = Infinity;

export class GoLocation {
  constructor(
    readonly name: string,
    private readonly zones: readonly Zone[] = [],
    private readonly tx: readonly { when: number; index: number }[] = [],
    private readonly extend = '',
  ) {}

  /** Location.lookup: the zone in effect at Unix second `sec`. */
  lookup(sec: number): ZoneAt {
    if (this.zones.length === 0) return { name: 'UTC', offset: 0, start: ALPHA, end: OMEGA };
    if (this.tx.length === 0 || sec < this.tx[0]!.when) {
      const z = this.zones[this.firstZone()]!;
      return { name: z.name, offset: z.offset, start: ALPHA, end: this.tx.length > 0 ? this.tx[0]!.when : OMEGA };
    }
    let lo = 0;
    let hi = this.tx.length;
    let end = OMEGA;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      if (sec < this.tx[m]!.when) {
        end = this.tx[m]!.when;
        hi = m;
      } else lo = m;
    }
    const z = this.zones[this.tx[lo]!.index]!;
    if (lo === this.tx.length - 1 && this.extend !== '') {
      const ruled = tzset(this.extend, this.tx[lo]!.when, sec, utcYearDay);
      if (ruled) return ruled;
    }
    return { name: z.name, offset: z.offset, start: this.tx[lo]!.when, end };
  }

  /** Location.lookupName: the offset of a zone abbreviation, preferring one in effect at `unix`. */
  lookupName(name: string, unix: number): number | undefined {
    for (const z of this.zones) if (z.name === name && this.lookup(unix - z.offset).name === z.name) return this.lookup(unix - z.offset).offset;
    return this.zones.find((z) => z.name === name)?.offset;
  }

  private firstZone(): number {
    if (!this.tx.some((t) => t.index === 0)) return 0;
    if (this.tx.length > 0 && this.zones[this.tx[0]!.index]!.isDST) {
      for (let zi = this.tx[0]!.index - 1; zi >= 0; zi--) if (!this.zones[zi]!.isDST) return zi;
    }
    const std = this.zones.findIndex((z) => !z.isDST);
    return std < 0 ? 0 : std;
  }
}

export const UTC = new GoLocation('UTC');

/** The UTC year and day of the year (1-based) of a Unix second. */
function utcYearDay(sec: number): { year: number; yday: number } {
  const d = new Date(sec * 1000);
  const year = d.getUTCFullYear();
  return { year, yday: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1 };
}

/** time.FixedZone. */
export function fixedZone(name: string, offset: number): GoLocation {
  return new GoLocation(name, [{ name, offset, isDST: false }], [{ when: ALPHA, index: 0 }]);
}

/** LoadLocationFromTZData: v1 header, then the 64-bit v2+ data when present. */
function fromTZif(name: string, data: Buffer): GoLocation | undefined {
  if (data.length < 44 || data.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = data[4]!;
  let p = 20;
  const counts = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < 6; i++, p += 4) out.push(data.readUInt32BE(p));
    return out;
  };
  let [nUtc, nStd, nLeap, nTime, nZone, nChar] = counts() as [number, number, number, number, number, number];
  let size = 4;
  if (version !== 0) {
    p += nTime * 4 + nTime + nZone * 6 + nChar + nLeap * 8 + nStd + nUtc + 20;
    [nUtc, nStd, nLeap, nTime, nZone, nChar] = counts() as [number, number, number, number, number, number];
    size = 8;
  }
  if (nZone === 0 || p + nTime * (size + 1) + nZone * 6 + nChar > data.length) return undefined;
  const times: number[] = [];
  for (let i = 0; i < nTime; i++, p += size) times.push(size === 8 ? Number(data.readBigInt64BE(p)) : data.readInt32BE(p));
  const indexes = [...data.subarray(p, p + nTime)];
  p += nTime;
  const zoneStart = p;
  p += nZone * 6;
  const abbrev = data.subarray(p, p + nChar);
  const zones: Zone[] = [];
  for (let i = 0; i < nZone; i++) {
    const at = zoneStart + i * 6;
    const nameAt = data[at + 5]!;
    const nul = abbrev.indexOf(0, nameAt);
    zones.push({ offset: data.readInt32BE(at), isDST: data[at + 4] !== 0, name: abbrev.toString('latin1', nameAt, nul < 0 ? abbrev.length : nul) });
  }
  const tx = times.map((when, i) => ({ when, index: indexes[i]! }));
  // The footer: "\n<POSIX TZ rule>\n" after the v2+ data.
  p += nChar + nLeap * (size + 4) + nStd + nUtc;
  const rest = data.toString('latin1', p);
  const extend = rest.length > 2 && rest.startsWith('\n') && rest.endsWith('\n') ? rest.slice(1, -1) : '';
  return new GoLocation(name, zones, tx.length > 0 ? tx : [{ when: ALPHA, index: 0 }], extend);
}

const ZONE_DIRS = ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo/'];
const loaded = new Map<string, GoLocation | undefined>();

function loadFrom(name: string, dirs: readonly string[]): GoLocation | undefined {
  for (const dir of dirs) {
    const file = join(dir, name);
    if (existsSync(file)) {
      try {
        const loc = fromTZif(name, readFileSync(file));
        if (loc) return loc;
      } catch {
        // unreadable: try the next directory, as Go does
      }
    }
  }
  return undefined;
}

let local: GoLocation | undefined;
/** time.Local, initialised from TZ and /etc/localtime as Go's initLocal does. */
export function localLocation(): GoLocation {
  if (local) return local;
  const tz = process.env['TZ'];
  let loc: GoLocation | undefined;
  if (tz === undefined) {
    const z = loadFrom('localtime', ['/etc']);
    if (z) loc = renamed(z, 'Local');
  } else if (tz !== '') {
    const name = tz.startsWith(':') ? tz.slice(1) : tz;
    if (name.startsWith('/')) {
      const z = loadFrom(name, ['']);
      if (z) loc = renamed(z, name === '/etc/localtime' ? 'Local' : name);
    } else if (name !== '' && name !== 'UTC') loc = loadFrom(name, ZONE_DIRS);
  }
  local = loc ?? new GoLocation('UTC');
  return local;
}

function renamed(z: GoLocation, name: string): GoLocation {
  return Object.assign(Object.create(GoLocation.prototype) as GoLocation, z, { name });
}

/** time.LoadLocation; undefined where Go returns an error. */
export function loadLocation(name: string): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return localLocation();
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return undefined;
  if (!loaded.has(name)) {
    if (loaded.size >= 256) loaded.delete(loaded.keys().next().value!);
    const zoneinfo = process.env['ZONEINFO'];
    loaded.set(name, (zoneinfo ? loadFrom(name, [zoneinfo]) : undefined) ?? loadFrom(name, ZONE_DIRS));
  }
  return loaded.get(name);
}
