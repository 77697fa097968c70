import { UTC } from './time/go-location';
import { formatGoTime as formatTime } from './time/go-time';

/** time.Time.Format of a JavaScript Date, in UTC (consul-template's `timestamp`). */
export function formatGoTime(d: Date, layout: string): string {
  const ms = d.getTime();
  const sec = Math.floor(ms / 1000);
  return formatTime({ sec, nsec: (ms - sec * 1000) * 1_000_000, loc: UTC }, layout);
}
