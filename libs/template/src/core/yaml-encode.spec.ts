import { encodeYaml } from './yaml-encode';
import { encodeToml } from './toml-encode';

describe('yaml and toml encoders', () => {
  it('quotes strings as yaml.v2 does', () => {
    expect(encodeYaml({ yes: 'yes', colon: 'a: b', csv: 'a,b', num: '123', e: '', star: '*x', emoji: '🔑' })).toBe(
      'colon: \'a: b\'\ncsv: a,b\ne: ""\nemoji: "\\U0001F511"\nnum: "123"\nstar: \'*x\'\n"yes": "yes"\n',
    );
  });

  it('writes sequences under a key without indentation and multi-line text as a literal block', () => {
    expect(encodeYaml({ a: ['x', { b: 1n }], t: 'l1\nl2\n' })).toBe('a:\n- x\n- b: 1\nt: |\n  l1\n  l2\n');
  });

  it('writes direct TOML keys before tables', () => {
    expect(encodeToml({ t: { x: 1n }, a: 'v', f: 2 })).toBe('a = "v"\nf = 2.0\n\n[t]\n  x = 1\n');
  });
});
