import { encodeCursor, parseListQuery, QueryError } from '../index';

const refused = (raw: Record<string, unknown>): { field: string; message: string } => {
  try {
    parseListQuery(raw);
  } catch (error) {
    if (error instanceof QueryError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('accepted');
};

describe('parseListQuery', () => {
  it('takes search, filters, sort, limit and a cursor', () => {
    const cursor = encodeCursor({ value: 'debian', node: 'web-01' });
    expect(parseListQuery({ q: 'Web', os: 'debian', kernel: '6.1.0', package: 'curl@7.88.1-10', fact: ['cpu.cores=4', 'cpu.model_name~Xeon'], changed_within_days: '7', sort: '-os', limit: '20', cursor })).toEqual({
      text: 'Web',
      os: 'debian',
      kernel: '6.1.0',
      package: { name: 'curl', version: '7.88.1-10' },
      facts: [
        { path: ['cpu', 'cores'], op: 'equals', value: '4' },
        { path: ['cpu', 'model_name'], op: 'contains', value: 'Xeon' },
      ],
      changedWithinDays: 7,
      sort: 'os',
      descending: true,
      limit: 20,
      cursor: { value: 'debian', node: 'web-01' },
    });
    expect(parseListQuery({})).toEqual({ facts: [], sort: 'node', descending: false, limit: 50 });
    expect(parseListQuery({ package: 'libc6' }).package).toEqual({ name: 'libc6' });
    expect(parseListQuery({ fact: 'network.default_gateway=10.0.0.1' }).facts).toEqual([{ path: ['network', 'default_gateway'], op: 'equals', value: '10.0.0.1' }]);
  });

  it.each([
    [{ bogus: '1' }, 'bogus', 'unknown parameter'],
    [{ q: 'x'.repeat(201) }, 'q', 'longer than 200'],
    [{ q: ['a', 'b'] }, 'q', 'must be given once'],
    [{ limit: '0' }, 'limit', 'from 1 to 500'],
    [{ limit: '501' }, 'limit', 'from 1 to 500'],
    [{ limit: '1e3' }, 'limit', 'whole number'],
    [{ sort: 'facts' }, 'sort', 'must be one of node, os, kernel, updated_at'],
    [{ package: '@1.0' }, 'package', 'NAME or NAME@VERSION'],
    [{ package: 'curl@1 0' }, 'package', 'VERSION after @'],
    [{ fact: 'nooperator' }, 'fact', 'PATH=VALUE'],
    [{ fact: 'a..b=1' }, 'fact', 'dot-separated names'],
    [{ fact: Array(9).fill('a=1') }, 'fact', 'at most 8'],
    [{ changed_within_days: '-1' }, 'changed_within_days', 'from 1 to 3650'],
    [{ cursor: 'not a cursor!' }, 'cursor', 'not a cursor returned by this API'],
    [{ cursor: Buffer.from('[1,2]').toString('base64url') }, 'cursor', 'not a cursor returned by this API'],
    [{ cursor: 'x'.repeat(1025) }, 'cursor', 'longer than 1024'],
  ])('%j is refused naming its field', (raw, field, message) => {
    const problem = refused(raw);
    expect(problem.field).toBe(field);
    expect(problem.message).toContain(message);
  });

  it('stays linear on long hostile input (bounded before any pattern runs)', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) {
      expect(refused({ fact: `${'a.'.repeat(100_000)}=1` }).field).toBe('fact');
      expect(refused({ cursor: 'A'.repeat(1_000_000) }).field).toBe('cursor');
    }
    // Not a timing assertion on the machine: it only has to finish, as a backtracking check would not.
    expect(Number(process.hrtime.bigint() - started)).toBeGreaterThan(0);
  });
});
