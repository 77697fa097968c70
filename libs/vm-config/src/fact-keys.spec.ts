import { canonicalJson, parseCollectorArgs, parseSectionKey, valueProblem } from './index';

describe('facts keys and values', () => {
  it.each([
    ['vm-config/web-01/platform', { node: 'web-01', section: 'platform' }],
    ['vm-config/web-01.example.com/app_version', { node: 'web-01.example.com', section: 'app_version' }],
    ['vm-config/web-01', null],
    ['vm-config/web-01/a/b', null],
    ['vm-config//platform', null],
    ['vm-config/web 01/platform', null],
    ['vm-config/web-01/Platform', null],
    ['other/web-01/platform', null],
  ])('parseSectionKey(%s)', (key, expected) => expect(parseSectionKey(key)).toEqual(expected));

  it.each([
    [null, 'the value is empty'],
    ['nope', 'the value is not JSON'],
    ['[1]', 'the value is not a JSON object'],
    ['"text"', 'the value is not a JSON object'],
    [JSON.stringify({ x: 'y'.repeat(400 * 1024) }), 'the value is larger than 409600 bytes'],
    ['{"a":1}', null],
  ])('valueProblem(%#)', (value, expected) => expect(valueProblem(value)).toBe(expected));

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});

describe('parseCollectorArgs', () => {
  it.each([
    [[], { once: true, intervalSeconds: null, print: false }],
    [['--print'], { once: true, intervalSeconds: null, print: true }],
    [['--interval', '300'], { once: false, intervalSeconds: 300, print: false }],
    [['--interval=60'], { once: false, intervalSeconds: 60, print: false }],
  ])('%j', (argv, expected) => expect(parseCollectorArgs(argv)).toEqual(expected));

  it.each([
    [['--interval', '5'], '--interval 5: must be whole seconds from 10 to 86400'],
    [['--interval'], '--interval : must be whole seconds from 10 to 86400'],
    [['--print', '--interval', '60'], '--print runs once; it cannot be combined with --interval'],
    [['--send-env'], 'unknown argument --send-env (use --once, --interval <seconds>, --print)'],
  ])('%j is refused', (argv, message) => expect(() => parseCollectorArgs(argv)).toThrow(message));
});
