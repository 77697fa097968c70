import type { ServersChanged } from '@opzero/contracts';
import type { ServerVerdict } from './health/server-verdict';
import { ServerSet } from './server-set';
import { upstreamServer } from './upstream-server';

const a = upstreamServer('10.0.0.1', 8500, 8600);
const b = upstreamServer('10.0.0.2', 8500, 8600);
const c = upstreamServer('10.0.0.3', 8500, 8600);
const healthy = (leader = false): ServerVerdict => ({ healthy: true, leader, datacenter: 'dc2' });
const sick: ServerVerdict = { healthy: false, leader: false, reason: 'no leader known' };

function setWith(events: ServersChanged[] = [], lost: string[] = []) {
  const set = new ServerSet([a]);
  set.addListener({ changed: (event) => events.push(event), lost: (server) => lost.push(server.id) });
  set.reconcile([a, b, c]);
  return set;
}

describe('ServerSet', () => {
  it('routes to the leader, and spreads `any` by fewest requests in flight', async () => {
    const set = setWith();
    set.applyVerdicts(new Map([[a.id, healthy(true)], [b.id, healthy()], [c.id, sick]]));
    expect(set.leader()).toBe(a);
    const release = set.track(a);
    const picks = [];
    for (let i = 0; i < 3; i++) picks.push((await set.acquire('any', 0))?.id);
    expect(picks).toEqual([b.id, b.id, b.id]);
    release();
    const spread = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) spread.add((await set.acquire('any', 0))?.id);
    expect(spread).toEqual(new Set([a.id, b.id]));
  });

  it('holds a request while no leader is known and releases it when one is found', async () => {
    const set = setWith();
    set.applyVerdicts(new Map([[a.id, healthy()], [b.id, healthy()]]));
    const waiting = set.acquire('leader', Date.now() + 5_000);
    set.applyVerdicts(new Map([[b.id, healthy(true)]]));
    await expect(waiting).resolves.toBe(b);
  });

  it('gives up a held request at its deadline', async () => {
    const set = setWith();
    await expect(set.acquire('leader', Date.now() + 20)).resolves.toBeUndefined();
  });

  it('ejects a server on a connection error until a check passes again', () => {
    const lost: string[] = [];
    const set = setWith([], lost);
    set.applyVerdicts(new Map([[a.id, healthy(true)], [b.id, healthy()]]));
    set.eject(a.id, 'ECONNREFUSED');
    expect(set.leader()).toBeUndefined();
    expect(lost).toEqual([a.id]);
    set.applyVerdicts(new Map([[a.id, healthy(true)]]));
    expect(set.leader()).toBe(a);
  });

  it('announces healthy-set and leader changes with the previous leader kept through the election', () => {
    const events: ServersChanged[] = [];
    const set = setWith(events);
    set.applyVerdicts(new Map([[a.id, healthy(true)], [b.id, healthy()], [c.id, healthy()]]));
    set.applyVerdicts(new Map([[a.id, healthy(true)], [b.id, healthy()], [c.id, healthy()]])); // no change: no event
    set.eject(a.id, 'ECONNRESET');
    set.applyVerdicts(new Map([[b.id, healthy(true)]]));
    expect(events.map(({ leader, previousLeader, added, removed, datacenter }) => ({ leader, previousLeader, added, removed, datacenter }))).toEqual([
      { leader: a.id, previousLeader: undefined, added: [a.id, b.id, c.id], removed: [], datacenter: 'dc2' },
      { leader: undefined, previousLeader: a.id, added: [], removed: [a.id], datacenter: 'dc2' },
      { leader: b.id, previousLeader: a.id, added: [], removed: [], datacenter: 'dc2' },
    ]);
  });

  it('drops discovered servers no source reports, never the seeds', () => {
    const set = setWith();
    set.reconcile([b]);
    expect(set.all().map((server) => server.id)).toEqual([a.id, b.id]);
  });
});
