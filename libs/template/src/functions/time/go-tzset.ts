/**
 * Go's tzset: the POSIX TZ rule in a zone file's footer (`CET-1CEST,M3.5.0,M10.5.0/3`),
 * which Go applies to times past the file's last transition.
 */
import type { ZoneAt } from './go-location';

type Rule = { kind: 'julian'; day: number; time: number } | { kind: 'doy'; day: number; time: number } | { kind: 'mwd'; mon: number; week: number; day: number; time: number };

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (m: number, y: number): number => (m === 2 && isLeap(y) ? 29 : DAYS_BEFORE[m]! - DAYS_BEFORE[m - 1]!);
const DAY = 86400;

function name(s: string): [string, string] | undefined {
  if (s.startsWith('<')) {
    const end = s.indexOf('>');
    return end < 0 ? undefined : [s.slice(1, end), s.slice(end + 1)];
  }
  const m = /^[^0-9,+-]*/.exec(s)![0];
  return m.length < 3 ? undefined : [m, s.slice(m.length)];
}

function num(s: string, min: number, max: number): [number, string] | undefined {
  const m = /^[0-9]+/.exec(s);
  if (!m) return undefined;
  const n = Number(m[0]);
  return n < min || n > max ? undefined : [n, s.slice(m[0].length)];
}

function offset(s: string): [number, string] | undefined {
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const h = num(s, 0, 24 * 7);
  if (!h) return undefined;
  let [off, rest] = [h[0] * 3600, h[1]];
  for (const mult of [60, 1]) {
    if (!rest.startsWith(':')) break;
    const n = num(rest.slice(1), 0, 59);
    if (!n) return undefined;
    off += n[0] * mult;
    rest = n[1];
  }
  return [neg ? -off : off, rest];
}

function rule(s: string): [Rule, string] | undefined {
  let r: Rule;
  if (s.startsWith('J')) {
    const n = num(s.slice(1), 1, 365);
    if (!n) return undefined;
    [r, s] = [{ kind: 'julian', day: n[0], time: 2 * 3600 }, n[1]];
  } else if (s.startsWith('M')) {
    const m = /^M([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(s);
    if (!m) return undefined;
    const [mon, week, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mon < 1 || mon > 12 || week < 1 || week > 5 || day > 6) return undefined;
    [r, s] = [{ kind: 'mwd', mon, week, day, time: 2 * 3600 }, s.slice(m[0].length)];
  } else {
    const n = num(s, 0, 365);
    if (!n) return undefined;
    [r, s] = [{ kind: 'doy', day: n[0], time: 2 * 3600 }, n[1]];
  }
  if (!s.startsWith('/')) return [r, s];
  const t = offset(s.slice(1));
  if (!t) return undefined;
  return [{ ...r, time: t[0] }, t[1]];
}

function ruleTime(year: number, r: Rule, off: number): number {
  let s: number;
  if (r.kind === 'julian') s = (r.day - 1) * DAY + (isLeap(year) && r.day >= 60 ? DAY : 0);
  else if (r.kind === 'doy') s = r.day * DAY;
  else {
    const m1 = ((r.mon + 9) % 12) + 1;
    const yy0 = r.mon <= 2 ? year - 1 : year;
    const yy1 = Math.trunc(yy0 / 100);
    const yy2 = yy0 % 100;
    let dow = (Math.trunc((26 * m1 - 2) / 10) + 1 + yy2 + Math.trunc(yy2 / 4) + Math.trunc(yy1 / 4) - 2 * yy1) % 7;
    if (dow < 0) dow += 7;
    let d = r.day - dow;
    if (d < 0) d += 7;
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn(r.mon, year)) break;
      d += 7;
    }
    d += DAYS_BEFORE[r.mon - 1]! + (isLeap(year) && r.mon > 2 ? 1 : 0);
    s = d * DAY;
  }
  return s + r.time - off;
}

/** tzset(s, lastTxSec, sec): the zone the rule gives at `sec`, or undefined when the rule does not parse. */
export function tzset(text: string, lastTxSec: number, sec: number, yearOf: (sec: number) => { year: number; yday: number }): ZoneAt | undefined {
  const std = name(text);
  const stdOff = std && offset(std[1]);
  if (!std || !stdOff) return undefined;
  let [stdName, stdOffset, s] = [std[0], -stdOff[0], stdOff[1]];
  if (s === '' || s[0] === ',') return { name: stdName, offset: stdOffset, start: lastTxSec, end: Infinity };
  const dst = name(s);
  if (!dst) return undefined;
  let dstName = dst[0];
  let dstOffset: number;
  s = dst[1];
  if (s === '' || s[0] === ',') dstOffset = stdOffset + 3600;
  else {
    const o = offset(s);
    if (!o) return undefined;
    [dstOffset, s] = [-o[0], o[1]];
  }
  if (s === '') s = ',M3.2.0,M11.1.0';
  if (s[0] !== ',' && s[0] !== ';') return undefined;
  const start = rule(s.slice(1));
  if (!start || !start[1].startsWith(',')) return undefined;
  const end = rule(start[1].slice(1));
  if (!end || end[1] !== '') return undefined;
  const { year, yday } = yearOf(sec);
  const ysec = (yday - 1) * DAY + (((sec % DAY) + DAY) % DAY);
  const ystart = sec - ysec;
  let startSec = ruleTime(year, start[0], stdOffset);
  let endSec = ruleTime(year, end[0], dstOffset);
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, start: ystart, end: startSec + ystart };
  if (ysec >= endSec) return { name: stdName, offset: stdOffset, start: endSec + ystart, end: ystart + 365 * DAY };
  return { name: dstName, offset: dstOffset, start: startSec + ystart, end: endSec + ystart };
}
