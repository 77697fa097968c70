import { GrantCache } from './grant-cache';

describe('GrantCache', () => {
  it('allows a token on the paths granted until the TTL ends, and nothing else', () => {
    let now = 0;
    const cache = new GrantCache(1_000, 100, () => now);
    cache.remember('token-a', ['secret/data/a', 'secret/data/b']);
    expect(cache.allows('token-a', ['secret/data/a'])).toBe(true);
    expect(cache.allows('token-a', ['secret/data/a', 'secret/data/b'])).toBe(true);
    expect(cache.allows('token-a', ['secret/data/a', 'secret/data/c'])).toBe(false);
    expect(cache.allows('token-b', ['secret/data/a'])).toBe(false);
    now = 999;
    expect(cache.allows('token-a', ['secret/data/a'])).toBe(true);
    now = 1_000;
    expect(cache.allows('token-a', ['secret/data/a'])).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new GrantCache(60_000, 2);
    cache.remember('t', ['p1']);
    cache.remember('t', ['p2']);
    cache.remember('t', ['p3']);
    expect(cache.allows('t', ['p1'])).toBe(false);
    expect(cache.allows('t', ['p2', 'p3'])).toBe(true);
  });
});
