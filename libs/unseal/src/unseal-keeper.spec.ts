import type { HealthStatus, SealStatus } from '@opzero/vault';
import type { NodeState } from './node-state';
import { capturedLogger, recordingEvents } from './testing/recording';
import { UnsealKeeper } from './unseal-keeper';
import type { UnsealMetrics } from './unseal-metrics';
import type { VaultNode } from './vault-node';

/** A node whose sys/health answer the test sets; counts its polls. */
function fakeNode(address: string, health: Partial<HealthStatus>) {
  const node = {
    address,
    polls: 0,
    health: { initialized: true, sealed: false, standby: false, server_time_utc: 0, version: '2.7.2', ...health } as HealthStatus,
  };
  const vault: VaultNode = {
    address,
    health: async () => (node.polls++, node.health),
    sealStatus: async () => ({ type: 'shamir', initialized: node.health.initialized, sealed: node.health.sealed, t: 3, n: 5, progress: 0, nonce: '', version: '2.7.2' }) as SealStatus,
    unseal: () => Promise.reject(new Error('not in this test')),
    unsealReset: () => Promise.reject(new Error('not in this test')),
    init: () => Promise.reject(new Error('not in this test')),
  };
  return Object.assign(node, { vault });
}

function recordingMetrics() {
  const states = new Map<string, NodeState>();
  const forgotten: string[] = [];
  const metrics: UnsealMetrics = {
    nodeState: (node, state) => void states.set(node, state),
    unsealed() {},
    failed() {},
    forget: (node) => void (forgotten.push(node), states.delete(node)),
  };
  return { states, forgotten, metrics };
}

const until = async (what: string, condition: () => boolean) => {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

describe('UnsealKeeper node set and states', () => {
  let keeper: UnsealKeeper | undefined;
  afterEach(() => keeper?.stop());

  it('tells active, standby, sealed and uninitialised nodes apart from sys/health', async () => {
    const nodes = [
      fakeNode('http://active:8200', {}),
      fakeNode('http://standby:8200', { standby: true }),
      fakeNode('http://sealed:8200', { sealed: true, standby: true }),
      fakeNode('http://new:8200', { initialized: false, sealed: true, standby: true }),
    ];
    const { states, metrics } = recordingMetrics();
    const events = recordingEvents();
    keeper = new UnsealKeeper({ nodes: nodes.map((n) => n.vault), events, logger: capturedLogger().logger, metrics }, { intervalMs: 5, jitter: 0, backoffInitialMs: 5, backoffMaxMs: 5 });
    keeper.start();
    await until('every node polled', () => states.size === 4);
    expect(Object.fromEntries(states)).toEqual({ 'http://active:8200': 'active', 'http://standby:8200': 'standby', 'http://sealed:8200': 'sealed', 'http://new:8200': 'uninitialized' });
    // Watch only (no share source): each sealing announced once, however many polls see it.
    await until('more polls of the sealed node', () => nodes[2]!.polls > 5);
    expect(events.events.map((e) => `${e.type} ${e.node}`).sort()).toEqual(['sealed http://new:8200', 'sealed http://sealed:8200']);
    expect(events.events.find((e) => e.node === 'http://new:8200')).toMatchObject({ type: 'sealed', initialized: false });
  });

  it('watches nodes added while running, stops watching removed ones, and treats a returning node afresh', async () => {
    const a = fakeNode('http://a:8200', { sealed: true });
    const b = fakeNode('http://b:8200', { sealed: true });
    const { states, forgotten, metrics } = recordingMetrics();
    const events = recordingEvents();
    const { logger, lines } = capturedLogger();
    keeper = new UnsealKeeper({ nodes: [], events, logger, metrics }, { intervalMs: 5, jitter: 0.1, backoffInitialMs: 5, backoffMaxMs: 5 });
    keeper.start();
    expect(keeper.nodes()).toEqual([]);

    keeper.setNodes([a.vault]);
    await until('a announced', () => events.events.length === 1);
    keeper.setNodes([b.vault, a.vault]);
    expect(keeper.nodes()).toEqual(['http://a:8200', 'http://b:8200']);
    await until('b announced', () => events.events.length === 2);

    keeper.setNodes([b.vault]);
    expect(keeper.nodes()).toEqual(['http://b:8200']);
    expect(forgotten).toEqual(['http://a:8200']);
    expect(lines.some((line) => line.includes('node no longer watched') && line.includes('http://a:8200'))).toBe(true);
    // b is still polled; a's loop ended at once (removal aborts its sleep), so its count stays.
    const aPolls = a.polls;
    const bPolls = b.polls;
    await until('b polled twice more', () => b.polls >= bPolls + 2);
    expect(a.polls).toBe(aPolls);

    // Back again: a new sealing as far as the keeper knows, so announced again.
    keeper.setNodes([a.vault, b.vault]);
    await until('a announced again', () => events.events.length === 3);
    expect(events.events.map((e) => [e.type, e.node])).toEqual([
      ['sealed', 'http://a:8200'],
      ['sealed', 'http://b:8200'],
      ['sealed', 'http://a:8200'],
    ]);
    expect(states.get('http://a:8200')).toBe('sealed');
    await keeper.stop();
    keeper.setNodes([a.vault]); // after stop: ignored
    expect(keeper.nodes()).toEqual(['http://a:8200', 'http://b:8200']);
  });
});
