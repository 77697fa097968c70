import { UTC, fixedZone, type GoLocation } from './go-location';
import { timeQuote } from './go-duration';

/**
 * Go's time.Time: Unix seconds, nanoseconds, a location and (for time.Now) a monotonic
 * reading, which String prints as ` m=+0.001234567` and which In/UTC strip, as in Go.
 */
export interface GoTime {
  readonly sec: number;
  readonly nsec: number;
  readonly loc: GoLocation;
  /** Monotonic clock reading in nanoseconds, when the time came from time.Now. */
  readonly mono?: bigint;
}

const DAY = 86400;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; days may overflow). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (m: number, y: number): number => (m === 2 && isLeap(y) ? 29 : DAYS_BEFORE[m]! - DAYS_BEFORE[m - 1]!);

/** The clock fields of a time in its location. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  weekday: number;
  yday: number;
  zone: string;
  offset: number;
}

export function timeFields(t: GoTime): Fields {
  const { name, offset } = t.loc.lookup(t.sec);
  const abs = t.sec + offset;
  const days = Math.floor(abs / DAY);
  const secOfDay = abs - days * DAY;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    nsec: t.nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    zone: name,
    offset,
  };
}

/** time.Date: normalises overflowing fields and resolves the zone offset as Go does. */
export function goDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: GoLocation): GoTime {
  const m0 = month - 1;
  year += Math.floor(m0 / 12);
  const days = daysFromCivil(year, (((m0 % 12) + 12) % 12) + 1, day);
  let unix = days * DAY + hour * 3600 + min * 60 + sec + Math.floor(nsec / 1e9);
  const ns = ((nsec % 1e9) + 1e9) % 1e9;
  const zone = loc.lookup(unix);
  if (zone.offset !== 0) {
    const utc = unix - zone.offset;
    unix -= utc < zone.start || utc >= zone.end ? loc.lookup(utc).offset : zone.offset;
  }
  return { sec: unix, nsec: ns, loc };
}

/** The zero Time (January 1, year 1, 00:00:00 UTC). */
export const ZERO_TIME: GoTime = goDate(1, 1, 1, 0, 0, 0, 0, UTC);

/** Time.Add for a duration in nanoseconds (keeps the monotonic reading). */
export function addDuration(t: GoTime, d: bigint): GoTime {
  const total = BigInt(t.nsec) + d;
  const secs = total / 1_000_000_000n - (total % 1_000_000_000n < 0n ? 1n : 0n);
  return { ...t, sec: t.sec + Number(secs), nsec: Number(total - secs * 1_000_000_000n), ...(t.mono !== undefined ? { mono: t.mono + d } : {}) };
}

/** Nanoseconds from b to a (Time.Sub, without monotonic readings). */
export function subTimes(a: GoTime, b: GoTime): bigint {
  return BigInt(a.sec - b.sec) * 1_000_000_000n + BigInt(a.nsec - b.nsec);
}

// Layout elements, as Go's nextStdChunk finds them.
type Std =
  | { kind: 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' | 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay' }
  | { kind: 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond' | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' }
  | { kind: 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ' }
  | { kind: 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ' }
  | { kind: 'FracSecond0' | 'FracSecond9'; digits: number; sep: string };
type Chunk = { prefix: string; std: Std | undefined; suffix: string };

const ZERO_X: Std['kind'][] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
const TZ_FORMS: [string, string][] = [
  ['070000', 'SecondsTZ'],
  ['07:00:00', 'ColonSecondsTZ'],
  ['0700', 'TZ'],
  ['07:00', 'ColonTZ'],
  ['07', 'ShortTZ'],
];

export function nextStdChunk(layout: string): Chunk {
  const at = (i: number, s: string): boolean => layout.startsWith(s, i);
  const mk = (i: number, kind: Std['kind'], len: number): Chunk => ({ prefix: layout.slice(0, i), std: { kind } as Std, suffix: layout.slice(i + len) });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    switch (c) {
      case 'J':
        if (at(i, 'Jan')) {
          if (at(i, 'January')) return mk(i, 'LongMonth', 7);
          if (!/^[a-z]/.test(layout.slice(i + 3))) return mk(i, 'Month', 3);
        }
        break;
      case 'M':
        if (at(i, 'Mon')) {
          if (at(i, 'Monday')) return mk(i, 'LongWeekDay', 6);
          if (!/^[a-z]/.test(layout.slice(i + 3))) return mk(i, 'WeekDay', 3);
        }
        if (at(i, 'MST')) return mk(i, 'TZ', 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') return mk(i, ZERO_X[Number(layout[i + 1]) - 1]!, 2);
        if (at(i, '002')) return mk(i, 'ZeroYearDay', 3);
        break;
      case '1':
        return at(i, '15') ? mk(i, 'Hour', 2) : mk(i, 'NumMonth', 1);
      case '2':
        return at(i, '2006') ? mk(i, 'LongYear', 4) : mk(i, 'Day', 1);
      case '_':
        if (at(i, '_2')) return at(i, '_2006') ? { prefix: layout.slice(0, i + 1), std: { kind: 'LongYear' }, suffix: layout.slice(i + 5) } : mk(i, 'UnderDay', 2);
        if (at(i, '__2')) return mk(i, 'UnderYearDay', 3);
        break;
      case '3':
        return mk(i, 'Hour12', 1);
      case '4':
        return mk(i, 'Minute', 1);
      case '5':
        return mk(i, 'Second', 1);
      case 'P':
        if (at(i, 'PM')) return mk(i, 'PM', 2);
        break;
      case 'p':
        if (at(i, 'pm')) return mk(i, 'pm', 2);
        break;
      case '-':
      case 'Z':
        for (const [form, name] of TZ_FORMS) {
          if (at(i + 1, form)) return mk(i, ((c === '-' ? 'Num' : 'ISO8601') + (c === '-' && name === 'SecondsTZ' ? 'SecondsTz' : name)) as Std['kind'], form.length + 1);
        }
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!/[0-9]/.test(layout[j] ?? '')) return { prefix: layout.slice(0, i), std: { kind: ch === '0' ? 'FracSecond0' : 'FracSecond9', digits: j - (i + 1), sep: c }, suffix: layout.slice(j) };
        }
        break;
      }
    }
  }
  return { prefix: layout, std: undefined, suffix: '' };
}

const pad = (n: number, width: number): string => (n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0'));

/** Time.Format. */
export function formatGoTime(t: GoTime, layout: string): string {
  const f = timeFields(t);
  let out = '';
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    out += prefix;
    if (!std) return out;
    layout = suffix;
    out += formatStd(std, f);
  }
}

function formatStd(std: Std, f: Fields): string {
  switch (std.kind) {
    case 'Year':
      return pad(f.year % 100, 2);
    case 'LongYear':
      return pad(f.year, 4);
    case 'Month':
      return SHORT_MONTHS[f.month - 1]!;
    case 'LongMonth':
      return LONG_MONTHS[f.month - 1]!;
    case 'NumMonth':
      return String(f.month);
    case 'ZeroMonth':
      return pad(f.month, 2);
    case 'WeekDay':
      return SHORT_DAYS[f.weekday]!;
    case 'LongWeekDay':
      return LONG_DAYS[f.weekday]!;
    case 'Day':
      return String(f.day);
    case 'UnderDay':
      return (f.day < 10 ? ' ' : '') + String(f.day);
    case 'ZeroDay':
      return pad(f.day, 2);
    case 'UnderYearDay':
      return String(f.yday).padStart(3, ' ');
    case 'ZeroYearDay':
      return pad(f.yday, 3);
    case 'Hour':
      return pad(f.hour, 2);
    case 'Hour12':
      return String(f.hour % 12 || 12);
    case 'ZeroHour12':
      return pad(f.hour % 12 || 12, 2);
    case 'Minute':
      return String(f.min);
    case 'ZeroMinute':
      return pad(f.min, 2);
    case 'Second':
      return String(f.sec);
    case 'ZeroSecond':
      return pad(f.sec, 2);
    case 'PM':
      return f.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return f.hour >= 12 ? 'pm' : 'am';
    case 'TZ':
      if (f.zone !== '') return f.zone;
      return offsetText(f.offset, false, false, false);
    case 'FracSecond0':
    case 'FracSecond9': {
      if (std.kind === 'FracSecond9' && (std.digits === 0 || f.nsec === 0)) return '';
      let text = std.sep + String(f.nsec).padStart(9, '0').slice(0, Math.min(std.digits, 9));
      if (std.kind === 'FracSecond9') text = text.replace(/0+$/, '').replace(/[.,]$/, '');
      return text;
    }
    default: {
      const iso = std.kind.startsWith('ISO8601');
      if (f.offset === 0 && iso) return 'Z';
      const colon = std.kind.includes('Colon');
      const short = std.kind.endsWith('ShortTZ');
      const seconds = /Seconds/.test(std.kind);
      return offsetText(f.offset, colon, short, seconds);
    }
  }
}

function offsetText(offset: number, colon: boolean, short: boolean, seconds: boolean): string {
  const zone = Math.trunc(offset / 60);
  const abs = Math.abs(zone);
  let out = (zone < 0 ? '-' : '+') + pad(Math.floor(abs / 60), 2);
  if (colon) out += ':';
  if (!short) out += pad(abs % 60, 2);
  if (seconds) out += (colon ? ':' : '') + pad(Math.abs(offset) % 60, 2);
  return out;
}

/** Time.String: `2006-01-02 15:04:05.999999999 -0700 MST`, plus ` m=±s.nnnnnnnnn` with a monotonic reading. */
export function goTimeString(t: GoTime): string {
  let s = formatGoTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (t.mono !== undefined) {
    const m = t.mono < 0n ? -t.mono : t.mono;
    s += ` m=${t.mono < 0n ? '-' : '+'}${m / 1_000_000_000n}.${String(m % 1_000_000_000n).padStart(9, '0')}`;
  }
  return s;
}

class ParseFailure extends Error {}

/** time.ParseInLocation; throws an Error with Go's `parsing time ...` text. */
export function parseGoTime(layout: string, value: string, loc: GoLocation): GoTime {
  const alayout = layout;
  const avalue = value;
  const fail = (layoutElem: string, valueElem: string, message = ''): Error =>
    new ParseFailure(message === '' ? `parsing time ${timeQuote(avalue)} as ${timeQuote(alayout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}` : `parsing time ${timeQuote(avalue)}${message}`);
  let [year, month, day, yday, hour, min, sec, nsec] = [0, -1, -1, -1, 0, 0, 0, 0];
  let amSet = false;
  let pmSet = false;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';
  const digit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';
  const getnum = (fixed: boolean): number => {
    if (!digit(value, 0)) throw BAD;
    if (!digit(value, 1)) {
      if (fixed) throw BAD;
      const n = Number(value[0]);
      value = value.slice(1);
      return n;
    }
    const n = Number(value.slice(0, 2));
    value = value.slice(2);
    return n;
  };
  const nanos = (n: number): number => {
    const text = value.slice(1, Math.min(n, 10));
    if (!/^[0-9]*$/.test(text) || text === '') throw BAD;
    return Number(text.padEnd(9, '0').slice(0, 9));
  };
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    const skipped = skip(value, prefix);
    if (skipped === undefined) throw fail(prefix, value);
    value = skipped;
    if (!std) {
      if (value.length !== 0) throw fail('', value, `: extra text: ${timeQuote(value)}`);
      break;
    }
    layout = suffix;
    const hold = value;
    let rangeErr = '';
    try {
      switch (std.kind) {
        case 'Year':
          if (value.length < 2 || !/^[0-9]{2}/.test(value)) throw BAD;
          year = Number(value.slice(0, 2));
          year += year >= 69 ? 1900 : 2000;
          value = value.slice(2);
          break;
        case 'LongYear':
          if (value.length < 4 || !digit(value, 0) || !/^[0-9]{4}/.test(value)) throw BAD;
          year = Number(value.slice(0, 4));
          value = value.slice(4);
          break;
        case 'Month':
        case 'LongMonth':
          month = lookup(std.kind === 'Month' ? SHORT_MONTHS : LONG_MONTHS) + 1;
          break;
        case 'NumMonth':
        case 'ZeroMonth':
          month = getnum(std.kind === 'ZeroMonth');
          if (month <= 0 || month > 12) rangeErr = 'month';
          break;
        case 'WeekDay':
        case 'LongWeekDay':
          lookup(std.kind === 'WeekDay' ? SHORT_DAYS : LONG_DAYS);
          break;
        case 'Day':
        case 'UnderDay':
        case 'ZeroDay':
          if (std.kind === 'UnderDay' && value[0] === ' ') value = value.slice(1);
          day = getnum(std.kind === 'ZeroDay');
          break;
        case 'UnderYearDay':
        case 'ZeroYearDay': {
          for (let i = 0; i < 2; i++) if (std.kind === 'UnderYearDay' && value[0] === ' ') value = value.slice(1);
          const m = /^[0-9]{1,3}/.exec(value);
          if (!m || (std.kind === 'ZeroYearDay' && m[0].length !== 3)) throw BAD;
          yday = Number(m[0]);
          value = value.slice(m[0].length);
          break;
        }
        case 'Hour':
          hour = getnum(false);
          if (hour >= 24) rangeErr = 'hour';
          break;
        case 'Hour12':
        case 'ZeroHour12':
          hour = getnum(std.kind === 'ZeroHour12');
          if (hour > 12) rangeErr = 'hour';
          break;
        case 'Minute':
        case 'ZeroMinute':
          min = getnum(std.kind === 'ZeroMinute');
          if (min >= 60) rangeErr = 'minute';
          break;
        case 'Second':
        case 'ZeroSecond': {
          sec = getnum(std.kind === 'ZeroSecond');
          if (sec >= 60) {
            rangeErr = 'second';
            break;
          }
          if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && digit(value, 1)) {
            const next = nextStdChunk(layout).std?.kind;
            if (next === 'FracSecond0' || next === 'FracSecond9') break;
            let n = 2;
            while (n < value.length && digit(value, n)) n++;
            nsec = nanos(n);
            value = value.slice(n);
          }
          break;
        }
        case 'PM':
        case 'pm': {
          if (value.length < 2) throw BAD;
          const p = value.slice(0, 2);
          value = value.slice(2);
          if (p === (std.kind === 'PM' ? 'PM' : 'pm')) pmSet = true;
          else if (p === (std.kind === 'PM' ? 'AM' : 'am')) amSet = true;
          else throw BAD;
          break;
        }
        case 'TZ': {
          if (value.startsWith('UTC')) {
            z = UTC;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw BAD;
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case 'FracSecond0': {
          const ndigit = 1 + std.digits;
          if (value.length < ndigit) throw BAD;
          if (value[0] !== '.' && value[0] !== ',') throw BAD;
          nsec = nanos(ndigit);
          value = value.slice(ndigit);
          break;
        }
        case 'FracSecond9': {
          if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !digit(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && digit(value, i + 1)) i++;
          nsec = nanos(1 + i);
          value = value.slice(1 + i);
          break;
        }
        default: {
          if (std.kind.startsWith('ISO8601') && value.startsWith('Z')) {
            value = value.slice(1);
            z = UTC;
            break;
          }
          let parts: [string, string, string, string];
          const kind = std.kind;
          if (kind === 'ISO8601ColonTZ' || kind === 'NumColonTZ') {
            if (value.length < 6 || value[3] !== ':') throw BAD;
            parts = [value[0]!, value.slice(1, 3), value.slice(4, 6), '00'];
            value = value.slice(6);
          } else if (kind === 'NumShortTZ' || kind === 'ISO8601ShortTZ') {
            if (value.length < 3) throw BAD;
            parts = [value[0]!, value.slice(1, 3), '00', '00'];
            value = value.slice(3);
          } else if (kind === 'ISO8601ColonSecondsTZ' || kind === 'NumColonSecondsTZ') {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw BAD;
            parts = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(7, 9)];
            value = value.slice(9);
          } else if (kind === 'ISO8601SecondsTZ' || kind === 'NumSecondsTz') {
            if (value.length < 7) throw BAD;
            parts = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5, 7)];
            value = value.slice(7);
          } else {
            if (value.length < 5) throw BAD;
            parts = [value[0]!, value.slice(1, 3), value.slice(3, 5), '00'];
            value = value.slice(5);
          }
          const [sign, hh, mm, ss] = parts;
          if (![hh, mm, ss].every((x) => /^[0-9]{2}$/.test(x))) throw BAD;
          const [hr, mi, se] = [Number(hh), Number(mm), Number(ss)];
          if (hr > 24) rangeErr = 'time zone offset hour';
          if (mi > 60) rangeErr = 'time zone offset minute';
          if (se > 60) rangeErr = 'time zone offset second';
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') throw BAD;
        }
      }
    } catch (err) {
      if (err !== BAD) throw err;
      if (rangeErr !== '') throw fail(stdstr, value, `: ${rangeErr} out of range`);
      throw fail(stdstr, hold);
    }
    if (rangeErr !== '') throw fail(stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw fail('', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) throw fail('', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw fail('', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw fail('', value, ': day out of range');
  if (z) return goDate(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    const at = t.sec - zoneOffset;
    const local = loc.lookup(at);
    if (local.offset === zoneOffset && (zoneName === '' || local.name === zoneName)) return { sec: at, nsec: t.nsec, loc };
    return { sec: at, nsec: t.nsec, loc: fixedZone(zoneName, zoneOffset) };
  }
  if (zoneName !== '') {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    const offset = loc.lookupName(zoneName, t.sec);
    if (offset !== undefined) return { sec: t.sec - offset, nsec: t.nsec, loc };
    const gmt = zoneName.length > 3 && zoneName.startsWith('GMT') ? Number(zoneName.slice(3)) * 3600 : 0;
    return { sec: t.sec, nsec: t.nsec, loc: fixedZone(zoneName, gmt) };
  }
  return goDate(year, month, day, hour, min, sec, nsec, loc);

  function lookup(table: readonly string[]): number {
    for (const [i, name] of table.entries()) {
      if (value.length >= name.length && value.slice(0, name.length).toLowerCase() === name.toLowerCase() && /^[\x00-\x7f]*$/.test(value.slice(0, name.length))) {
        value = value.slice(name.length);
        return i;
      }
    }
    throw BAD;
  }
}

const BAD = new ParseFailure('bad value for field');

/** skip: the layout's literal text must be in the value; a space matches any run of spaces. */
function skip(value: string, prefix: string): string | undefined {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return undefined;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return undefined;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

/** parseTimeZone: how many bytes of value look like a zone abbreviation (0: none). */
function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return 3 + signedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return signedOffset(value);
  const upper = /^[A-Z]{0,6}/.exec(value)![0].length;
  if (upper === 3) return 3;
  if (upper === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (upper === 5 && value[4] === 'T') return 5;
  return 0;
}

function signedOffset(value: string): number {
  const m = /^[+-]([0-9]+)/.exec(value);
  if (!m || Number(m[1]) > 23) return 0;
  return m[0].length;
}
