import { formatGoDuration, parseGoDuration, roundGoDuration, SECOND } from './go-duration';
import { UTC, fixedZone, loadLocation } from './go-location';
import { formatGoTime, goDate, goTimeString, parseGoTime } from './go-time';

// Expected values are Go's documented results (time package examples and docs).
describe('Go time layouts', () => {
  const t = goDate(2009, 11, 10, 23, 4, 5, 120_000_000, UTC);

  it('formats the standard layouts as Go does', () => {
    expect(formatGoTime(t, '2006-01-02T15:04:05Z07:00')).toBe('2009-11-10T23:04:05Z');
    expect(formatGoTime(t, 'Mon Jan _2 15:04:05 2006')).toBe('Tue Nov 10 23:04:05 2009');
    expect(formatGoTime(t, '3:04PM')).toBe('11:04PM');
    expect(formatGoTime(t, '.000|.999|.9')).toBe('.120|.12|.1');
    expect(goTimeString(t)).toBe('2009-11-10 23:04:05.12 +0000 UTC');
  });

  it('formats numeric zones and abbreviations from the zone files', () => {
    const est = fixedZone('EST', -5 * 3600);
    expect(formatGoTime({ ...t, loc: est }, '15:04 MST -0700 Z07:00 -07')).toBe('18:04 EST -0500 -05:00 -05');
    const berlin = loadLocation('Europe/Berlin');
    expect(berlin).toBeDefined();
    expect(formatGoTime({ ...goDate(2024, 7, 14, 12, 0, 0, 0, UTC), loc: berlin! }, '15:04 MST')).toBe('14:00 CEST');
    expect(loadLocation('No/Such_Zone')).toBeUndefined();
  });

  it('parses and reports errors in Go words', () => {
    expect(goTimeString(parseGoTime('2006-01-02', '2024-03-05', UTC))).toBe('2024-03-05 00:00:00 +0000 UTC');
    expect(() => parseGoTime('2006-01-02', '2024-13-05', UTC)).toThrow('parsing time "2024-13-05": month out of range');
    expect(() => parseGoTime('2006-01-02', '05/03/2024', UTC)).toThrow('parsing time "05/03/2024" as "2006-01-02": cannot parse "05/03/2024" as "2006"');
    expect(() => parseGoTime('2006-01-02', '2024-03-05 x', UTC)).toThrow('parsing time "2024-03-05 x": extra text: " x"');
  });
});

describe('Go durations', () => {
  it('parses and prints like time.ParseDuration and Duration.String', () => {
    expect(parseGoDuration('1h15m30.918273645s')).toBe(4530918273645n);
    expect(formatGoDuration(4530918273645n)).toBe('1h15m30.918273645s');
    expect(formatGoDuration(1500n * 1_000_000n)).toBe('1.5s');
    expect(formatGoDuration(1000n)).toBe('1µs');
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(-90n * SECOND)).toBe('-1m30s');
    expect(() => parseGoDuration('1d')).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(roundGoDuration(parseGoDuration('1h15m30.918273645s'), SECOND)).toBe(4531n * SECOND);
  });
});
