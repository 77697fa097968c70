import { parseGoDurationMs } from './go-duration';
import { judgeServer, type CheckAnswers } from './server-verdict';

const rules = { maxLastContactMs: 2_000 };
const self = (raft: Record<string, string>) => ({ Config: { NodeName: 'consul-2', Datacenter: 'dc1' }, Stats: { raft } });
const answers = (raft: Record<string, string>, leaderBody: unknown = '10.0.0.1:8300', leaderStatus = 200): CheckAnswers => ({
  leaderStatus,
  leaderBody,
  selfStatus: 200,
  selfBody: self(raft),
});
const follower = { state: 'Follower', last_contact: '42.5ms', applied_index: '120', commit_index: '120' };

describe('judgeServer', () => {
  it('accepts the leader and reports its commit index', () => {
    expect(judgeServer(answers({ state: 'Leader', last_contact: '0', applied_index: '200', commit_index: '200' }), rules, 150)).toEqual({
      healthy: true,
      leader: true,
      commitIndex: 200,
      node: 'consul-2',
      datacenter: 'dc1',
    });
  });

  it('accepts a caught-up follower in contact with its leader', () => {
    expect(judgeServer(answers(follower), rules, 100)).toMatchObject({ healthy: true, leader: false });
  });

  it.each([
    ['a restarted server that knows no leader yet (200, empty body)', answers(follower, ''), /no leader known/],
    ['a non-200 leader status', answers(follower, 'x', 500), /HTTP 500/],
    ['a lone survivor naming its dead leader', answers({ ...follower, last_contact: '5.2s' }), /last heard from the leader 5200 ms ago/],
    ['a follower that never heard from a leader', answers({ ...follower, last_contact: 'never' }), /never heard from a leader/],
    ['a candidate', answers({ ...follower, state: 'Candidate' }), /raft state Candidate/],
    ['a follower still replaying raft', answers({ ...follower, applied_index: '90' }), /raft not caught up \(applied index 90 < leader's 100\)/],
    ['an agent that is not a server', { leaderStatus: 200, leaderBody: 'x', selfStatus: 200, selfBody: { Stats: {} } }, /not a server/],
    ['a token without agent:read', { leaderStatus: 200, leaderBody: 'x', selfStatus: 403, selfBody: 'Permission denied' }, /agent:read/],
  ])('rejects %s', (_name, given, reason) => {
    const verdict = judgeServer(given as CheckAnswers, rules, 100);
    expect(verdict.healthy).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });
});

describe('parseGoDurationMs', () => {
  it.each([
    ['0', 0],
    ['42.5ms', 42.5],
    ['1.5s', 1500],
    ['1m2.5s', 62_500],
    ['1h0m0s', 3_600_000],
    ['800µs', 0.8],
    ['250ns', 0.00025],
  ])('%s → %s ms', (text, ms) => {
    expect(parseGoDurationMs(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', 'never', '12', 'ms', '1.2.3s', '5 s', 'x'.repeat(65)])('refuses %p', (text) => {
    expect(parseGoDurationMs(text)).toBeUndefined();
  });
});
