import { goBytes, goStringFromBytes } from './go-value';
import { formatFixed, significantDigits } from './float-decimal';
import { goBase64Decode } from '../functions/go-base64';

describe('formatFixed (Go %f: exact value, ties to even)', () => {
  it.each([
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [1.005, 2, '1.00'], // 1.005 is below the tie in binary
    [1e21, 2, '1000000000000000000000.00'],
    [0.1, 20, '0.10000000000000000555'],
  ])('%p with %p digits is %p', (f, prec, text) => {
    expect(formatFixed(f, prec)).toBe(text);
  });

  it('rounds significant digits half to even, carrying into the exponent', () => {
    expect(significantDigits(1.25, 2)).toEqual({ digits: '12', exp: 0 });
    expect(significantDigits(9.96, 2)).toEqual({ digits: '10', exp: 1 });
  });
});

describe('Go strings as bytes', () => {
  it('keeps bytes that are not UTF-8 through a string and back', () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x68, 0x69, 0xc3, 0xa9]);
    const text = goStringFromBytes(bytes);
    expect(text.endsWith('hié')).toBe(true);
    expect(goBytes(text).equals(bytes)).toBe(true);
  });
});

describe('goBase64Decode (encoding/base64)', () => {
  it('skips CR and LF anywhere', () => {
    expect(goBase64Decode(Buffer.from('aGVsbG8g\r\nd29y\nbGQ='), 'std').toString()).toBe('hello world');
  });
  it.each([
    ['aGk=!!', 4],
    ['aGk', 0],
    ['!!!', 0],
  ])('reports %p as corrupt at byte %p', (input, offset) => {
    expect(() => goBase64Decode(Buffer.from(input), 'std')).toThrow(`illegal base64 data at input byte ${offset}`);
  });
});
