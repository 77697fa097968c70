import { parseSecretPath, shimKvV2ListPath, shimKvV2Path } from './kv-path';

describe('KV v2 paths', () => {
  it.each([
    ['secret/app', 'secret/data/app'],
    ['secret/data/app', 'secret/data/app'],
    ['secret/metadata/app', 'secret/metadata/app'],
    ['secret', 'secret/data'],
  ])('reads %s at %s', (raw, expected) => {
    expect(shimKvV2Path(raw, 'secret/')).toBe(expected);
  });

  it('lists under metadata/', () => {
    expect(shimKvV2ListPath('secret/list', 'secret/')).toBe('secret/metadata/list');
    expect(shimKvV2ListPath('secret/metadata/list', 'secret/')).toBe('secret/metadata/list');
  });

  it('splits the version query off and trims outer slashes', () => {
    expect(parseSecretPath(' /secret/app?version=2/ ')).toEqual({ path: 'secret/app', query: { version: '2' } });
  });
});
