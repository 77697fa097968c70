import { formatFloatShortest, formatV, sprint, sprintf } from './go-format';
import { JsonNumber } from './go-value';

describe('go-format', () => {
  it.each([
    [1, '1'],
    [1.5, '1.5'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-0.5, '-0.5'],
  ])('formats %p as Go %%v does', (f, expected) => {
    expect(formatFloatShortest(f)).toBe(expected);
  });

  it('prints maps sorted and slices spaced', () => {
    expect(formatV({ b: [1n, 'x'], a: { c: true } })).toBe('map[a:map[c:true] b:[1 x]]');
  });

  it('spaces Sprint operands only between non-strings', () => {
    expect(sprint(['a', 'b', 1n, 2n, true, 'c'])).toBe('ab1 2 truec');
  });

  it.each([
    ['%5.2f|%-4d|%x', [3.14159, 7n, 'hi'], ' 3.14|7   |6869'],
    ['%d', ['s'], '%!d(string=s)'],
    ['%s %s', ['one'], 'one %!s(MISSING)'],
    ['%s', ['one', 'two'], 'one%!(EXTRA string=two)'],
    ['%d', [new JsonNumber('5')], '%!d(json.Number=5)'],
    ['%q', ['a"b\n'], '"a\\"b\\n"'],
    ['%05d', [42n], '00042'],
  ])('sprintf(%p)', (format, args, expected) => {
    expect(sprintf(format, args)).toBe(expected);
  });
});
