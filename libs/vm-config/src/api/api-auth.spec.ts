import { authProblem } from '../index';

describe('authProblem', () => {
  const token = 'a-long-api-token-0123456789';

  it.each<[string, Parameters<typeof authProblem>[0], Record<string, string>, string | null]>([
    ['the right bearer token', { token }, { authorization: `Bearer ${token}` }, null],
    ['a wrong token', { token }, { authorization: 'Bearer nope' }, 'missing or wrong bearer token (Authorization: Bearer <token>)'],
    ['no credentials', { token }, {}, 'missing or wrong bearer token (Authorization: Bearer <token>)'],
    ['a token of another scheme', { token }, { authorization: `Basic ${token}` }, 'missing or wrong bearer token (Authorization: Bearer <token>)'],
    ['the proxy header', { proxyHeader: 'x-forwarded-user' }, { 'x-forwarded-user': 'alice' }, null],
    ['an empty proxy header', { proxyHeader: 'x-forwarded-user' }, { 'x-forwarded-user': '' }, 'missing x-forwarded-user header (set by the auth proxy)'],
    ['a bearer token where only the proxy is configured', { proxyHeader: 'x-forwarded-user' }, { authorization: `Bearer ${token}` }, 'missing x-forwarded-user header (set by the auth proxy)'],
    ['either, with both configured', { token, proxyHeader: 'x-forwarded-user' }, { 'x-forwarded-user': 'bob' }, null],
    ['nothing configured', {}, { authorization: `Bearer ${token}` }, 'reads are disabled: the service has neither an API token nor an auth proxy header configured'],
  ])('%s', (_what, options, headers, expected) => {
    expect(authProblem(options, headers)).toBe(expected);
  });

  it('never echoes the credential it was given', () => {
    expect(authProblem({ token }, { authorization: 'Bearer secret-guess-123' })).not.toContain('secret-guess-123');
  });
});
