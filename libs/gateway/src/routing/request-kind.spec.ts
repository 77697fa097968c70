import { classifyRequest, queryNames } from './request-kind';

describe('classifyRequest', () => {
  it.each([
    // method, url, routing, target, idempotent, safeWrite, longLived
    ['GET', '/v1/kv/a', 'leader', 'leader', true, false, false],
    ['GET', '/v1/kv/a?stale', 'leader', 'any', true, false, false],
    ['GET', '/v1/kv/a?stale=&dc=dc1', 'leader', 'any', true, false, false],
    ['GET', '/v1/kv/a', 'spread', 'any', true, false, false],
    ['HEAD', '/v1/kv/a', 'leader', 'leader', true, false, false],
    ['GET', '/v1/kv/a?index=42&wait=10m', 'leader', 'leader', true, false, true],
    ['GET', '/v1/agent/monitor?loglevel=debug', 'leader', 'leader', true, false, true],
    ['GET', '/v1/event/list', 'leader', 'leader', true, false, true],
    ['PUT', '/v1/kv/a', 'spread', 'leader', false, false, false],
    ['PUT', '/v1/kv/a?cas=7', 'leader', 'leader', false, true, false],
    ['DELETE', '/v1/kv/a?cas=7', 'leader', 'leader', false, true, false],
    ['PUT', '/v1/txn?cas=7', 'leader', 'leader', false, false, false],
    ['POST', '/v1/kv/a?cas=7', 'leader', 'leader', false, false, false],
    ['PUT', '/v1/kv/a?stale', 'leader', 'leader', false, false, false],
  ] as const)('%s %s (%s reads) → %s', (method, url, routing, target, idempotent, safeWrite, longLived) => {
    expect(classifyRequest(method, url, routing)).toEqual({ target, idempotent, safeWrite, longLived });
  });
});

describe('queryNames', () => {
  it('lists parameter names without values', () => {
    expect([...queryNames('/v1/kv/a?index=3&stale&token=secret&&x=')]).toEqual(['index', 'stale', 'token', 'x']);
  });

  it('is empty without a query', () => {
    expect(queryNames('/v1/kv/a').size).toBe(0);
  });
});
