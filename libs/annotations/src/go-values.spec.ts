import { isGoDuration, parseGoBool, parseGoInt } from './go-values';

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
