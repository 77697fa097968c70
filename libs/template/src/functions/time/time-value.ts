import { fn } from '../../core/function-def';
import { GoInt64, GoObject, type GoValue } from '../../core/go-value';
import { UTC, localLocation } from './go-location';
import { formatGoTime, goTimeString, timeFields, ZERO_TIME, type GoTime } from './go-time';

/** A time.Time as a template value: prints through String(), and has the methods templates call. */
export function timeValue(t: GoTime): GoObject {
  const field = (name: 'year' | 'day' | 'hour' | 'min' | 'sec' | 'nsec' | 'yday') => fn([], () => BigInt(timeFields(t)[name]));
  return new GoObject(
    'time.Time',
    {
      Format: fn(['string'], ([layout]) => formatGoTime(t, layout as string)),
      String: fn([], () => goTimeString(t)),
      Unix: fn([], () => new GoInt64(BigInt(t.sec))),
      UnixNano: fn([], () => new GoInt64(BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec))),
      Year: field('year'),
      Day: field('day'),
      Hour: field('hour'),
      Minute: field('min'),
      Second: field('sec'),
      Nanosecond: field('nsec'),
      YearDay: field('yday'),
      IsZero: fn([], () => t.sec === ZERO_TIME.sec && t.nsec === 0),
      UTC: fn([], () => timeValue({ sec: t.sec, nsec: t.nsec, loc: UTC })),
      Local: fn([], () => timeValue({ sec: t.sec, nsec: t.nsec, loc: localLocation() })),
    },
    { kind: 'struct', text: () => goTimeString(t), native: t },
  );
}

/** The GoTime behind a time.Time value, else undefined. */
export function asGoTime(v: GoValue): GoTime | undefined {
  return v instanceof GoObject && v.typeName === 'time.Time' ? (v.traits.native as GoTime) : undefined;
}
