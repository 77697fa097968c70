import { mayRetry, retryableStatus } from './failover-policy';
import { classifyRequest } from './request-kind';

const read = classifyRequest('GET', '/v1/kv/a', 'leader');
const blocking = classifyRequest('GET', '/v1/kv/a?index=9', 'leader');
const write = classifyRequest('PUT', '/v1/kv/a', 'leader');
const casWrite = classifyRequest('PUT', '/v1/kv/a?cas=3', 'leader');

describe('mayRetry', () => {
  it.each([
    ['a read that could not connect', read, 'connect-failed', true, true],
    ['a read cut off before an answer', read, 'lost-before-response', true, true],
    ['a blocking query cut off', blocking, 'lost-before-response', true, true],
    ['a write that could not connect', write, 'connect-failed', true, true],
    ['a write cut off after it may have been sent', write, 'lost-before-response', true, false],
    ['a cas write cut off', casWrite, 'lost-before-response', true, true],
    ['a write whose body was too large to keep', write, 'connect-failed', false, false],
    ['a read answered with a retryable 5xx', read, 'retryable-status', true, true],
  ] as const)('%s → %s', (_name, kind, failure, replayable, expected) => {
    expect(mayRetry(kind, failure, replayable)).toBe(expected);
  });
});

describe('retryableStatus', () => {
  it.each([
    [read, 500, 'rpc error making call: EOF', true],
    [read, 503, '', true],
    [read, 501, '', false],
    [read, 404, '', false],
    [read, 429, '', false],
    [write, 500, 'No cluster leader', true],
    [write, 500, 'No cluster leader\n', true],
    [write, 500, 'leadership lost while committing log', false],
    [write, 503, '', false],
    [casWrite, 500, 'leadership lost while committing log', true],
  ] as const)('%#: HTTP %s "%s"', (kind, status, body, expected) => {
    expect(retryableStatus(kind, status, body)).toBe(expected);
  });
});
