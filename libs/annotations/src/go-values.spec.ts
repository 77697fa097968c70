import { isGoDuration, parseDecimalFloat, parseGoBool, parseGoInt, parseGoUint } from './go-values';

describe('Go value parsers', () => {
  it.each([
    ['true', true], ['True', true], ['1', true], ['t', true],
    ['false', false], ['F', false], ['0', false], ['', false],
  ])('parseGoBool(%p) = %p', (raw, value) => {
    expect(parseGoBool(raw)).toBe(value);
  });

  it.each(['yes', 'on', 'TRUE ', 'tRue'])('parseGoBool(%p) is invalid', (raw) => {
    expect(parseGoBool(raw)).toBeUndefined();
  });

  it('reads integers like strconv.ParseInt, with empty as zero only when asked', () => {
    expect(parseGoInt('-12')).toBe(-12n);
    expect(parseGoInt('')).toBeUndefined();
    expect(parseGoInt('', true)).toBe(0n);
    expect(parseGoInt('9223372036854775808')).toBeUndefined();
    expect(parseGoInt('1e3')).toBeUndefined();
  });

  it.each([['30s', true], ['1h30m', true], ['1.5h', true], ['0', true], ['300ms', true], ['5', false], ['soon', false], ['', false]])(
    'isGoDuration(%p) = %p',
    (raw, ok) => {
      expect(isGoDuration(raw)).toBe(ok);
    },
  );
});

describe('Go value parsers on hostile input', () => {
  const digits = '1'.repeat(1024 * 1024);
  it.each([
    ['isGoDuration', () => isGoDuration(`${digits}x`), false],
    ['isGoDuration (no unit)', () => isGoDuration(`${digits}.${digits}`), false],
    ['parseDecimalFloat', () => parseDecimalFloat(`${digits}.${digits}x`), undefined],
    ['parseGoInt', () => parseGoInt(digits), undefined],
    ['parseGoUint', () => parseGoUint(`${digits}x`), undefined],
  ])('%s rejects 1 MiB of digits in one scan (generous bound: 1 s)', (_name, parse, expected) => {
    const started = process.hrtime.bigint();
    expect(parse()).toBe(expected);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });

  it('keeps Go semantics at the edges', () => {
    expect(parseGoInt('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseGoInt('0000000000000000000000000042')).toBe(42n);
    expect(parseGoUint('18446744073709551616')).toBeUndefined();
    expect(parseDecimalFloat('.5')).toBe(0.5);
    expect(parseDecimalFloat('5.')).toBe(5);
    expect(parseDecimalFloat('.')).toBeUndefined();
    expect(isGoDuration('2562047h')).toBe(true);
    expect(isGoDuration('2562048h')).toBe(false);
    expect(isGoDuration('1ms1us1µs')).toBe(true);
  });
});
