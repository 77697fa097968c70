import { backoffDelay, defaultRetryPolicy } from './retry-policy';
import { isTransient, TransientError } from './handler-errors';

describe('backoffDelay', () => {
  const policy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };

  it.each([
    [1, 0, 50],
    [1, 1, 100],
    [2, 0, 100],
    [3, 1, 400],
    [5, 1, 1_000], // 1,600 capped at the maximum
    [9, 0, 500],
  ])('after failed attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(policy, attempt, () => random)).toBe(expected);
  });

  it('defaults to five attempts', () => {
    expect(defaultRetryPolicy.attempts).toBe(5);
  });
});

describe('isTransient', () => {
  it.each([
    [new TransientError('vault down'), true],
    [Object.assign(new Error('5xx'), { transient: true }), true],
    [new Error('bad input'), false],
    [Object.assign(new Error('truthy but not true'), { transient: 'yes' }), false],
    ['a string', false],
    [null, false],
  ])('%p -> %p', (error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});
