import { exampleEvents, Topics, type SecretRotated } from '@opzero/contracts';
import { PathIndex } from './path-index';
import { RotationWatcher, type CurrentVersion, type MetadataSource } from './rotation-watcher';
import { MemoryVersionStore } from './version-store';

/** Versions by `<mount>/<key>`; counts reads; paths in `failing` throw. */
class FakeMetadata implements MetadataSource {
  versions = new Map<string, number>();
  reads: string[] = [];
  failing = new Set<string>();
  async currentVersion(mount: string, key: string): Promise<CurrentVersion | undefined> {
    const id = `${mount}/${key}`;
    this.reads.push(id);
    if (this.failing.has(id)) throw new Error('HTTP 503');
    const version = this.versions.get(id);
    return version === undefined ? undefined : { version, changedAt: '2026-11-28T10:00:00.123456789Z' };
  }
}

/** FakeMetadata that can also list folders (OpenBao's detailed-metadata); `unlistable` folders answer undefined, `listFails` throws. */
class ListingMetadata extends FakeMetadata {
  listings: string[] = [];
  unlistable = new Set<string>();
  listFails = false;
  /** Keys of folders that exist but are not watched (count toward the listing's size). */
  extraKeys = 0;
  async folderVersions(mount: string, folder: string): Promise<ReadonlyMap<string, CurrentVersion> | undefined> {
    const id = `${mount}/${folder}`;
    this.listings.push(id);
    if (this.listFails) throw new Error('HTTP 503');
    if (this.unlistable.has(id)) return undefined;
    const prefix = folder ? `${id}/` : `${mount}/`;
    const found = new Map<string, CurrentVersion>();
    for (const [key, version] of this.versions) {
      const name = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
      if (name && !name.includes('/')) found.set(name, { version });
    }
    for (let i = 0; i < this.extraKeys; i++) found.set(`other-${i}`, { version: 1 });
    return found;
  }
}

const at = new Date('2026-11-28T12:00:00Z');

function setup(pods: Record<string, string[]>, store = new MemoryVersionStore()) {
  const index = new PathIndex();
  for (const [name, paths] of Object.entries(pods)) {
    index.add({ ...exampleEvents[Topics.podCreated], podName: name, secrets: paths.map((path, i) => ({ name: `s${i}`, path })) });
  }
  const metadata = new FakeMetadata();
  const emitted: [SecretRotated, string][] = [];
  const watcher = new RotationWatcher(index, metadata, store, async (event, id) => void emitted.push([event, id]), { now: () => at, concurrency: 2 });
  return { index, metadata, emitted, watcher, store };
}

describe('RotationWatcher', () => {
  it('reads each distinct KV v2 path once per round however many pods render it, and skips other engines', async () => {
    const { metadata, watcher } = setup({ a: ['secret/data/db', 'database/creds/app'], b: ['secret/data/db'], c: ['secret/data/db', 'secret/data/api'] });
    metadata.versions.set('secret/db', 1);
    metadata.versions.set('secret/api', 1);
    await watcher.start();
    const result = await watcher.checkAll();
    await watcher.stop();
    expect(result.checked).toBe(2);
    expect(metadata.reads.filter((read) => read === 'secret/db').length).toBe(metadata.reads.filter((read) => read === 'secret/api').length);
    expect(new Set(metadata.reads)).toEqual(new Set(['secret/db', 'secret/api']));
  });

  it('takes the first sight as baseline, then emits each new version once with a deterministic id', async () => {
    const { metadata, emitted, watcher } = setup({ a: ['secret/data/db'], b: ['secret/data/db'] });
    metadata.versions.set('secret/db', 3);
    await watcher.checkAll();
    expect(emitted).toEqual([]);
    metadata.versions.set('secret/db', 5);
    await watcher.checkAll();
    await watcher.checkAll();
    expect(emitted).toEqual([
      [
        { path: 'secret/data/db', kind: 'kv-v2', version: 5, previousVersion: 3, changedAt: '2026-11-28T10:00:00.123456789Z', detectedAt: at.toISOString(), podCount: 2 },
        'secret/data/db@5',
      ],
    ]);
  });

  it('resumes from the stored versions: a change made while it was down is emitted, an old one is not re-emitted', async () => {
    const store = new MemoryVersionStore();
    const first = setup({ a: ['secret/data/db', 'secret/data/api'] }, store);
    first.metadata.versions.set('secret/db', 1);
    first.metadata.versions.set('secret/api', 7);
    await first.watcher.checkAll();

    const second = setup({ a: ['secret/data/db', 'secret/data/api'] }, store);
    second.metadata.versions.set('secret/db', 2);
    second.metadata.versions.set('secret/api', 7);
    await second.watcher.start();
    await second.watcher.checkAll();
    await second.watcher.stop();
    expect(second.emitted.map(([, id]) => id)).toEqual(['secret/data/db@2']);
  });

  it('treats a failed read or a failed emit as no change, and emits on the next round', async () => {
    const { metadata, emitted, watcher, index } = setup({ a: ['secret/data/db'] });
    metadata.versions.set('secret/db', 1);
    await watcher.checkAll();
    metadata.versions.set('secret/db', 2);
    metadata.failing.add('secret/db');
    const failedRound = await watcher.checkAll();
    expect(failedRound.failed.map((failure) => failure.path)).toEqual(['secret/data/db']);
    metadata.failing.clear();

    let refuse = true;
    const flaky = new RotationWatcher(index, metadata, new MemoryVersionStore(), async (event, id) => {
      if (refuse) throw new Error('broker down');
      emitted.push([event, id]);
    });
    metadata.versions.set('secret/db', 1);
    await flaky.checkAll();
    metadata.versions.set('secret/db', 2);
    expect((await flaky.checkAll()).failed).toHaveLength(1);
    refuse = false;
    await flaky.checkAll();
    await watcher.checkAll();
    expect(emitted.map(([, id]) => id)).toEqual(['secret/data/db@2', 'secret/data/db@2']);
  });

  it('keeps versions whose save failed and saves them on the next round without re-emitting', async () => {
    const store = new MemoryVersionStore();
    const { metadata, emitted, watcher } = setup({ a: ['secret/data/db'] }, store);
    metadata.versions.set('secret/db', 1);
    await watcher.checkAll();
    metadata.versions.set('secret/db', 2);
    const save = store.save.bind(store);
    store.save = async () => {
      throw new Error('API server down');
    };
    await expect(watcher.checkAll()).rejects.toThrow('API server down');
    store.save = save;
    await watcher.checkAll();
    expect(await store.load()).toEqual(new Map([['secret/data/db', 2]]));
    expect(emitted.map(([, id]) => id)).toEqual(['secret/data/db@2']);
  });

  it('ignores a secret that does not exist until it is written', async () => {
    const { metadata, emitted, watcher } = setup({ a: ['secret/data/later'] });
    await watcher.checkAll();
    metadata.versions.set('secret/later', 1);
    await watcher.checkAll();
    metadata.versions.set('secret/later', 2);
    await watcher.checkAll();
    expect(emitted.map(([, id]) => id)).toEqual(['secret/data/later@2']);
  });

  it('stretches the interval to keep reads per second under the budget', () => {
    const index = new PathIndex();
    const paths = Array.from({ length: 1000 }, (_, i) => `secret/data/p${i}`);
    index.add({ ...exampleEvents[Topics.podCreated], podName: 'a', secrets: paths.map((path, i) => ({ name: `s${i}`, path })) });
    const watcher = new RotationWatcher(index, new FakeMetadata(), new MemoryVersionStore(), async () => undefined, { maxReadsPerSecond: 200, minIntervalMs: 250 });
    expect(watcher.intervalMs()).toBe(5000);
    index.remove('shop/a');
    expect(watcher.intervalMs()).toBe(250);
  });

  it('reads nothing while paused and re-checks every path on resume', async () => {
    const { metadata, emitted, watcher } = setup({ a: ['secret/data/db'] });
    metadata.versions.set('secret/db', 1);
    await watcher.start();
    await watcher.checkAll();
    watcher.pause();
    const readsWhenPaused = metadata.reads.length;
    metadata.versions.set('secret/db', 2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(metadata.reads.length).toBe(readsWhenPaused);
    expect(await watcher.checkAll()).toMatchObject({ emitted: [] });
    watcher.resume();
    const deadline = Date.now() + 5000;
    while (emitted.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await watcher.stop();
    expect(emitted.map(([, id]) => id)).toEqual(['secret/data/db@2']);
  });

  describe('folder listings (OpenBao detailed-metadata)', () => {
    function listingSetup(paths: string[]) {
      const index = new PathIndex();
      index.add({ ...exampleEvents[Topics.podCreated], podName: 'a', secrets: paths.map((path, i) => ({ name: `s${i}`, path })) });
      const metadata = new ListingMetadata();
      const emitted: SecretRotated[] = [];
      const watcher = new RotationWatcher(index, metadata, new MemoryVersionStore(), async (event) => void emitted.push(event), { now: () => at, concurrency: 2, maxReadsPerSecond: 1 });
      return { metadata, emitted, watcher };
    }

    it('reads a folder of several watched paths with one listing and a lone path alone, and emits from the listing', async () => {
      const { metadata, emitted, watcher } = listingSetup(['secret/data/shop/db', 'secret/data/shop/api', 'secret/data/shop/mq', 'secret/data/billing/db', 'secret/data/root']);
      for (const key of ['shop/db', 'shop/api', 'shop/mq', 'billing/db', 'root']) metadata.versions.set(`secret/${key}`, 1);
      await watcher.checkAll();
      expect(metadata.listings).toEqual(['secret/shop']);
      expect(new Set(metadata.reads)).toEqual(new Set(['secret/billing/db', 'secret/root']));
      // Three requests a round at one per second: the pause follows requests, not paths.
      expect(watcher.intervalMs()).toBe(3_000);
      metadata.versions.set('secret/shop/api', 2);
      metadata.versions.set('secret/billing/db', 4);
      const round = await watcher.checkAll();
      expect(round.checked).toBe(5);
      expect(emitted.map((event) => [event.path, event.version, event.previousVersion])).toEqual(
        expect.arrayContaining([
          ['secret/data/shop/api', 2, 1],
          ['secret/data/billing/db', 4, 1],
        ]),
      );
      expect(emitted).toHaveLength(2);
    });

    it('reads per path from then on when the folder cannot be listed (Vault, or a token without list), missing nothing', async () => {
      const { metadata, emitted, watcher } = listingSetup(['secret/data/shop/db', 'secret/data/shop/api']);
      metadata.unlistable.add('secret/shop');
      metadata.versions.set('secret/shop/db', 1);
      metadata.versions.set('secret/shop/api', 1);
      await watcher.checkAll();
      expect(metadata.reads.sort()).toEqual(['secret/shop/api', 'secret/shop/db']);
      metadata.versions.set('secret/shop/db', 2);
      await watcher.checkAll();
      expect(metadata.listings).toEqual(['secret/shop']);
      expect(emitted.map((event) => event.version)).toEqual([2]);
    });

    it('stops listing a folder that is mostly keys nobody watches', async () => {
      const { metadata, watcher } = listingSetup(['secret/data/shop/db', 'secret/data/shop/api']);
      metadata.extraKeys = 100;
      metadata.versions.set('secret/shop/db', 1);
      metadata.versions.set('secret/shop/api', 1);
      await watcher.checkAll();
      await watcher.checkAll();
      expect(metadata.listings).toEqual(['secret/shop']);
      expect(metadata.reads.sort()).toEqual(['secret/shop/api', 'secret/shop/db']);
    });

    it('counts every path of a failed listing as failed (no change, read again next round)', async () => {
      const { metadata, emitted, watcher } = listingSetup(['secret/data/shop/db', 'secret/data/shop/api']);
      metadata.versions.set('secret/shop/db', 1);
      metadata.versions.set('secret/shop/api', 1);
      await watcher.checkAll();
      metadata.versions.set('secret/shop/db', 2);
      metadata.listFails = true;
      const failed = await watcher.checkAll();
      expect(failed.failed.map((f) => f.path).sort()).toEqual(['secret/data/shop/api', 'secret/data/shop/db']);
      expect(emitted).toEqual([]);
      metadata.listFails = false;
      await watcher.checkAll();
      expect(emitted.map((event) => [event.path, event.version])).toEqual([['secret/data/shop/db', 2]]);
    });
  });
});
