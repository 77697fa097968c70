import { exampleEvents, Topics, type PodCreated } from '@opzero/contracts';
import { kvV2PathOf } from './kv-path';
import { PathIndex } from './path-index';

const pod = (name: string, paths: string[], extra: Partial<PodCreated> = {}): PodCreated => ({
  ...exampleEvents[Topics.podCreated],
  podName: name,
  generateName: undefined,
  secrets: paths.map((path, i) => ({ name: `s${i}`, path })),
  ...extra,
});

describe('PathIndex', () => {
  it('maps each distinct path to the pods rendering it, once per pod', () => {
    const index = new PathIndex();
    index.add(pod('a', ['secret/data/db', 'secret/data/db', 'secret/data/api']));
    index.add(pod('b', ['secret/data/db']));
    expect(index.paths().sort()).toEqual(['secret/data/api', 'secret/data/db']);
    expect(index.podsFor('secret/data/db').map((entry) => entry.key).sort()).toEqual(['shop/a', 'shop/b']);
    expect(index.podsFor('secret/data/api').map((entry) => entry.key)).toEqual(['shop/a']);
    expect(index.size).toBe(2);
  });

  it('forgets a removed pod and stops listing a path nobody renders', () => {
    const index = new PathIndex();
    index.add(pod('a', ['secret/data/db', 'secret/data/api']));
    index.add(pod('b', ['secret/data/db']));
    expect(index.remove('shop/a')).toBe(true);
    expect(index.remove('shop/a')).toBe(false);
    expect(index.paths()).toEqual(['secret/data/db']);
    expect(index.podsFor('secret/data/api')).toEqual([]);
  });

  it('replaces a pod admitted again under the same key instead of adding its old paths', () => {
    const index = new PathIndex();
    index.add(pod('a', ['secret/data/old']));
    index.add(pod('a', ['secret/data/new'], { restartOnRotate: true }));
    expect(index.paths()).toEqual(['secret/data/new']);
    expect(index.podsFor('secret/data/new')[0]).toMatchObject({ restartOnRotate: true, owner: { kind: 'ReplicaSet' } });
  });

  it('keys generateName-only pods by namespace and prefix', () => {
    const index = new PathIndex();
    const entry = index.add({ ...exampleEvents[Topics.podCreated] });
    expect(entry.key).toBe('shop/web-7d9f8c6b5-');
  });
});

describe('kvV2PathOf', () => {
  it.each([
    ['secret/data/shop/db', ['secret'], { mount: 'secret', key: 'shop/db' }],
    ['team/kv/data/x', ['team', 'team/kv'], { mount: 'team/kv', key: 'x' }],
    ['secret/data/x', ['/secret/'], { mount: 'secret', key: 'x' }],
    ['secret/data/', ['secret'], undefined],
    ['secret/shop/db', ['secret'], undefined],
    ['database/creds/app', ['secret'], undefined],
    ['secretx/data/a', ['secret'], undefined],
  ])('%s with mounts %j', (path, mounts, expected) => {
    const parsed = kvV2PathOf(path, mounts);
    expect(parsed && { mount: parsed.mount, key: parsed.key }).toEqual(expected);
  });
});
