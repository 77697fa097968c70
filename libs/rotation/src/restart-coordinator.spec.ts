import type { IndexedPod } from './path-index';
import { RestartCoordinator, type RestartableWorkload, type WorkloadRestarter } from './restart-coordinator';

const pod = (key: string, owner?: string, restartOnRotate = true): IndexedPod => ({
  key: `ns/${key}`,
  namespace: 'ns',
  restartOnRotate,
  paths: [],
  ...(owner ? { owner: { kind: 'ReplicaSet', name: owner } } : {}),
});

/** Resolves ReplicaSet `<name>-rs` to Deployment `<name>` and records restarts. */
class FakeRestarter implements WorkloadRestarter {
  restarted: string[] = [];
  failNext = 0;
  pendingRelease: (() => void)[] = [];
  hold = false;
  async resolve(namespace: string, owner: { kind: string; name: string }): Promise<RestartableWorkload | undefined> {
    return owner.name.endsWith('-rs') ? { kind: 'Deployment', namespace, name: owner.name.slice(0, -3) } : undefined;
  }
  async restart(workload: RestartableWorkload): Promise<void> {
    if (this.failNext-- > 0) throw new Error('API server down');
    if (this.hold) await new Promise<void>((release) => this.pendingRelease.push(release));
    this.restarted.push(workload.name);
  }
}

describe('RestartCoordinator', () => {
  it('restarts a workload once for rotations inside its window, not before the window ends', async () => {
    const restarter = new FakeRestarter();
    const coordinator = new RestartCoordinator(restarter, { windowMs: 10_000 });
    await coordinator.request([pod('a', 'web-rs')], 0);
    await coordinator.request([pod('b', 'web-rs')], 4_000);
    expect(await coordinator.tick(9_999)).toEqual([]);
    expect(await coordinator.tick(10_000)).toEqual([{ kind: 'Deployment', namespace: 'ns', name: 'web' }]);
    expect(await coordinator.tick(30_000)).toEqual([]);
    expect(restarter.restarted).toEqual(['web']);
  });

  it('queues a rotation right after a restart for a full window later', async () => {
    const restarter = new FakeRestarter();
    const coordinator = new RestartCoordinator(restarter, { windowMs: 10_000 });
    await coordinator.request([pod('a', 'web-rs')], 0);
    await coordinator.tick(10_000);
    await coordinator.request([pod('a', 'web-rs')], 10_500);
    expect(await coordinator.tick(19_999)).toEqual([]);
    expect((await coordinator.tick(20_500)).map((w) => w.name)).toEqual(['web']);
    expect(restarter.restarted).toEqual(['web', 'web']);
  });

  it('names restart-on-rotate pods without a workload and ignores pods without the annotation', async () => {
    const restarter = new FakeRestarter();
    const coordinator = new RestartCoordinator(restarter);
    const result = await coordinator.request([pod('bare'), pod('job', 'batch'), pod('quiet', 'web-rs', false)], 0);
    expect(result).toEqual({ queued: [], unrestartable: ['ns/bare', 'ns/job'] });
    expect(coordinator.queued).toEqual([]);
  });

  it('restarts at most maxConcurrent workloads at once; the rest wait for a later tick', async () => {
    const restarter = new FakeRestarter();
    restarter.hold = true;
    const coordinator = new RestartCoordinator(restarter, { windowMs: 1, maxConcurrent: 2 });
    await coordinator.request([pod('a', 'a-rs'), pod('b', 'b-rs'), pod('c', 'c-rs')], 0);
    const first = coordinator.tick(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await coordinator.tick(6)).toEqual([]);
    restarter.pendingRelease.splice(0).forEach((release) => release());
    expect((await first).map((w) => w.name)).toEqual(['a', 'b']);
    restarter.hold = false;
    expect((await coordinator.tick(7)).map((w) => w.name)).toEqual(['c']);
    expect(restarter.restarted).toEqual(['a', 'b', 'c']);
  });

  it('queues a failed restart again for the next window and reports the error', async () => {
    const restarter = new FakeRestarter();
    restarter.failNext = 1;
    const errors: string[] = [];
    const coordinator = new RestartCoordinator(restarter, { windowMs: 100 }, (workload) => errors.push(workload.name));
    await coordinator.request([pod('a', 'web-rs')], 0);
    expect(await coordinator.tick(100)).toHaveLength(1);
    expect(errors).toEqual(['web']);
    expect(await coordinator.tick(199)).toEqual([]);
    await coordinator.tick(200);
    expect(restarter.restarted).toEqual(['web']);
  });
});
