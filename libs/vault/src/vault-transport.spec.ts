import { vaultPath } from './vault-transport';
import { VaultError } from './vault-error';

describe('vaultPath', () => {
  it.each([
    [['secret', 'data', 'shop/db'], 'secret/data/shop/db'],
    [['/secret/', '/data//x/'], 'secret/data/x'],
    [['secret', 'data', 'a b?c=d#e'], 'secret/data/a%20b%3Fc%3Dd%23e'],
    [['transit', 'encrypt', 'k%2F..'], 'transit/encrypt/k%252F..'],
    [['kv', 'ünï'], 'kv/%C3%BCn%C3%AF'],
  ])('joins %j as %s', (parts, expected) => {
    expect(vaultPath(...parts)).toBe(expected);
  });

  it.each([
    ['a climb to another endpoint', ['secret', 'data', '../../sys/seal'], 'path segment ".." is not allowed'],
    ['a dot segment', ['secret', './x'], 'path segment "." is not allowed'],
    ['an empty path', ['', '/'], 'path must have 1 to 4096 characters'],
    ['a path over 4096 characters', ['x'.repeat(4097)], 'path must have 1 to 4096 characters'],
  ])('refuses %s before sending', (_label, parts, message) => {
    const error = (() => {
      try {
        return vaultPath(...parts);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ status: 0, code: 'invalid-request', errors: [message], transient: false });
  });
});
