import { FunctionError, fn, type CallContext, type FunctionMap } from '../../core/function-def';
import { GoInt64, type GoValue } from '../../core/go-value';
import { formatGoDuration, parseGoDuration, roundGoDuration, SECOND } from '../time/go-duration';
import { loadLocation, localLocation, UTC } from '../time/go-location';
import { addDuration, formatGoTime, parseGoTime, subTimes, ZERO_TIME, type GoTime } from '../time/go-time';
import { asGoTime, timeValue } from '../time/time-value';

/** Sprig v3.2.3's date functions (date.go), on Go's time layouts, zones and durations. */

const TIME = 'object:time.Time';

const startNanos = process.hrtime.bigint();
/** time.Now: wall clock from the render context, nanoseconds and a monotonic reading as Go has them. */
function now(ctx: CallContext): GoTime {
  const ms = ctx.services.now().getTime();
  const hr = process.hrtime.bigint();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: (ms - sec * 1000) * 1_000_000 + Number(hr % 1_000_000n), loc: localLocation(), mono: hr - startNanos };
}

const unix = (sec: bigint): GoTime => ({ sec: Number(sec), nsec: 0, loc: localLocation() });

/** dateInZone's argument: time.Time, or int/int64 Unix seconds; anything else is now. */
function dateArg(v: GoValue, ctx: CallContext): GoTime {
  const t = asGoTime(v);
  if (t) return t;
  if (typeof v === 'bigint') return unix(v);
  if (v instanceof GoInt64) return unix(v.value);
  return now(ctx);
}

function dateInZone(layout: string, date: GoValue, zone: string, ctx: CallContext): string {
  const t = dateArg(date, ctx);
  return formatGoTime({ sec: t.sec, nsec: t.nsec, loc: loadLocation(zone) ?? UTC }, layout);
}

const since = (t: GoTime, ctx: CallContext): bigint => subTimes(now(ctx), t);
const str = (v: GoValue): string => v as string;
const time = (v: GoValue): GoTime => asGoTime(v)!;

function durationRound(v: GoValue, ctx: CallContext): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseGoDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoInt64) d = v.value;
  else if (asGoTime(v)) d = since(asGoTime(v)!, ctx);
  const u = d < 0n ? -d : d;
  const hour = 3600n * SECOND;
  const units: [bigint, string][] = [
    [hour * 24n * 365n, 'y'],
    [hour * 24n * 30n, 'mo'],
    [hour * 24n, 'd'],
    [hour, 'h'],
    [60n * SECOND, 'm'],
    [SECOND, 's'],
  ];
  for (const [size, unit] of units) if (u > size) return `${u / size}${unit}`;
  return '0s';
}

function modify(t: GoTime, text: string, must: boolean): GoTime {
  try {
    return addDuration(t, parseGoDuration(text));
  } catch (err) {
    if (must) throw new FunctionError((err as Error).message);
    return t;
  }
}

function toDate(layout: string, value: string, must: boolean): GoTime {
  try {
    return parseGoTime(layout, value, localLocation());
  } catch (err) {
    if (must) throw new FunctionError((err as Error).message);
    return ZERO_TIME;
  }
}

export const sprigDateFunctions: FunctionMap = {
  sprig_now: fn([], (_a, ctx) => timeValue(now(ctx))),
  sprig_date: fn(['string', 'any'], ([layout, d], ctx) => dateInZone(str(layout), d ?? null, 'Local', ctx)),
  sprig_htmlDate: fn(['any'], ([d], ctx) => dateInZone('2006-01-02', d ?? null, 'Local', ctx)),
  sprig_htmlDateInZone: fn(['any', 'string'], ([d, zone], ctx) => dateInZone('2006-01-02', d ?? null, str(zone), ctx)),
  sprig_dateInZone: fn(['string', 'any', 'string'], ([layout, d, zone], ctx) => dateInZone(str(layout), d ?? null, str(zone), ctx)),
  sprig_date_in_zone: fn(['string', 'any', 'string'], ([layout, d, zone], ctx) => dateInZone(str(layout), d ?? null, str(zone), ctx)),
  sprig_dateModify: fn(['string', TIME], ([text, d]) => timeValue(modify(time(d), str(text), false))),
  sprig_date_modify: fn(['string', TIME], ([text, d]) => timeValue(modify(time(d), str(text), false))),
  sprig_mustDateModify: fn(['string', TIME], ([text, d]) => timeValue(modify(time(d), str(text), true))),
  sprig_must_date_modify: fn(['string', TIME], ([text, d]) => timeValue(modify(time(d), str(text), true))),
  sprig_ago: fn(['any'], ([d], ctx) => formatGoDuration(roundGoDuration(since(dateArg(d ?? null, ctx), ctx), SECOND))),
  sprig_durationRound: fn(['any'], ([d], ctx) => durationRound(d ?? null, ctx)),
  sprig_toDate: fn(['string', 'string'], ([layout, value]) => timeValue(toDate(str(layout), str(value), false))),
  sprig_mustToDate: fn(['string', 'string'], ([layout, value]) => timeValue(toDate(str(layout), str(value), true))),
  sprig_unixEpoch: fn([TIME], ([d]) => String(time(d).sec)),
};
