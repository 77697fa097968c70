import { exampleEvents, Topics, type PodCreated } from '@opzero/contracts';
import { PathIndex } from './path-index';
import { PodReconciler } from './pod-reconciler';

const base: PodCreated = { ...exampleEvents[Topics.podCreated], namespace: 'shop' };
const named = (podName: string, path = 'secret/data/shop/db'): PodCreated => ({ ...base, podName, generateName: undefined, secrets: [{ name: 'db', path }] });
const generated = (generateName: string): PodCreated => ({ ...base, podName: undefined, generateName });

function setup(graceMs = 1_000) {
  let now = 10_000;
  const index = new PathIndex();
  const reconciler = new PodReconciler(index, graceMs, () => now);
  const admit = (event: PodCreated) => reconciler.onIndexed(index.add(event).key);
  return { index, reconciler, admit, advance: (ms: number) => (now += ms), at: () => now };
}

describe('PodReconciler', () => {
  it('drops a deleted pod at once, and its path when no other pod renders it', () => {
    const { index, reconciler, admit } = setup();
    admit(named('a', 'secret/data/a'));
    admit(named('b', 'secret/data/shared'));
    admit(named('c', 'secret/data/shared'));
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'a' })).toEqual(['shop/a']);
    expect(index.paths()).toEqual(['secret/data/shared']);
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'b' })).toEqual(['shop/b']);
    expect(index.podsFor('secret/data/shared').map((pod) => pod.key)).toEqual(['shop/c']);
    expect(reconciler.onPodDeleted({ namespace: 'other', name: 'c' })).toEqual([]);
  });

  it('keeps a generateName entry while another pod of that prefix lives, and drops it with the last', () => {
    const { index, reconciler, admit } = setup();
    admit(generated('web-7d9f8c6b5-'));
    reconciler.onPodSeen({ namespace: 'shop', name: 'web-7d9f8c6b5-aaaaa', generateName: 'web-7d9f8c6b5-' });
    reconciler.onPodSeen({ namespace: 'shop', name: 'web-7d9f8c6b5-bbbbb', generateName: 'web-7d9f8c6b5-' });
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'web-7d9f8c6b5-aaaaa', generateName: 'web-7d9f8c6b5-' })).toEqual([]);
    expect(index.size).toBe(1);
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'web-7d9f8c6b5-bbbbb', generateName: 'web-7d9f8c6b5-' })).toEqual(['shop/web-7d9f8c6b5-']);
    expect(index.size).toBe(0);
  });

  it('keeps an entry re-admitted under the same name after the old pod began deletion (a StatefulSet pod)', () => {
    const { index, reconciler, admit, advance, at } = setup();
    const deletedAt = at();
    advance(10);
    admit(named('db-0'));
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'db-0', deletedAt })).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('a terminating pod keeps nothing: the other pod of its prefix going drops the entry', () => {
    const { index, reconciler, admit } = setup();
    admit(generated('web-'));
    reconciler.onPodSeen({ namespace: 'shop', name: 'web-1', generateName: 'web-', deletedAt: 1 });
    reconciler.onPodSeen({ namespace: 'shop', name: 'web-2', generateName: 'web-' });
    expect(reconciler.onPodDeleted({ namespace: 'shop', name: 'web-2', generateName: 'web-' })).toEqual(['shop/web-']);
    expect(index.size).toBe(0);
  });

  it('sweeps entries no live pod has matched for the grace, never sooner, and never a live one', () => {
    const { index, reconciler, admit, advance } = setup(1_000);
    admit(named('gone'));
    admit(named('live'));
    expect(reconciler.onResync([{ namespace: 'shop', name: 'live' }])).toEqual([]);
    advance(600);
    expect(reconciler.sweep()).toEqual([]);
    advance(600);
    expect(reconciler.sweep()).toEqual(['shop/gone']);
    expect(index.keys()).toEqual(['shop/live']);
    advance(5_000);
    expect(reconciler.sweep()).toEqual([]);
  });

  it('gives a pod admitted just now the full grace before its pod exists (pod-created precedes the pod)', () => {
    const { index, reconciler, admit, advance } = setup(1_000);
    admit(named('early'));
    advance(900);
    reconciler.sweep();
    advance(900);
    expect(reconciler.sweep()).toEqual([]);
    // Re-admitted: the grace starts again.
    advance(50);
    admit(named('early'));
    advance(900);
    expect(reconciler.sweep()).toEqual([]);
    reconciler.onPodSeen({ namespace: 'shop', name: 'early' });
    advance(5_000);
    expect(reconciler.sweep()).toEqual([]);
    expect(index.size).toBe(1);
  });
});
