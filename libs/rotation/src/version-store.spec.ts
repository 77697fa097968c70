import { KubeSecretVersionStore, parseVersions, type SecretAccess } from './version-store';

type Snapshot = Awaited<ReturnType<SecretAccess['create']>>;

/** One Secret in memory with resourceVersion compare-and-swap, like the API server. */
class FakeSecrets implements SecretAccess {
  secret: Snapshot | undefined;
  async read(): Promise<Snapshot | undefined> {
    return this.secret;
  }
  async create(namespace: string, name: string, data: Record<string, string>): Promise<Snapshot> {
    if (this.secret) throw new Error('HTTP 409');
    return (this.secret = snap(namespace, name, '1', data));
  }
  async update(previous: Snapshot, data: Record<string, string>): Promise<Snapshot> {
    if (previous.resourceVersion !== this.secret?.resourceVersion) throw new Error('conflict');
    return (this.secret = snap(previous.namespace, previous.name, String(Number(previous.resourceVersion) + 1), data));
  }
}

const snap = (namespace: string, name: string, resourceVersion: string, data: Record<string, string>): Snapshot => ({
  namespace,
  name,
  resourceVersion,
  data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value)])),
});

describe('KubeSecretVersionStore', () => {
  it('starts empty, creates the Secret on first save, updates it after, and reads back', async () => {
    const secrets = new FakeSecrets();
    const store = new KubeSecretVersionStore(secrets, 'ops', 'rotation-state');
    expect(await store.load()).toEqual(new Map());
    await store.save(new Map([['secret/data/a', 2]]));
    await store.save(new Map([['secret/data/a', 3], ['secret/data/b', 1]]));
    expect(secrets.secret?.resourceVersion).toBe('2');
    expect(await new KubeSecretVersionStore(secrets, 'ops', 'rotation-state').load()).toEqual(new Map([['secret/data/a', 3], ['secret/data/b', 1]]));
  });

  it('after a conflict re-reads and keeps the higher version of each path, never going back', async () => {
    const secrets = new FakeSecrets();
    const deposed = new KubeSecretVersionStore(secrets, 'ops', 'rotation-state');
    const leader = new KubeSecretVersionStore(secrets, 'ops', 'rotation-state');
    await deposed.save(new Map([['p', 1]]));
    await leader.load();
    await leader.save(new Map([['p', 3]]));
    await deposed.save(new Map([['p', 2], ['q', 5]]));
    expect(await leader.load()).toEqual(new Map([['p', 3], ['q', 5]]));
  });

  it('propagates a second failure', async () => {
    const secrets = new FakeSecrets();
    const store = new KubeSecretVersionStore(secrets, 'ops', 'rotation-state');
    await store.save(new Map([['p', 1]]));
    secrets.update = async () => {
      throw new Error('HTTP 500');
    };
    await expect(store.save(new Map([['p', 2]]))).rejects.toThrow('HTTP 500');
  });
});

it('gives up on a Secret call that never answers, naming the operation, so the poll round is not held', async () => {
  const hanging = new FakeSecrets();
  hanging.read = () => new Promise<never>(() => undefined);
  const store = new KubeSecretVersionStore(hanging, 'ns', 'state', 50);
  await expect(store.load()).rejects.toThrow('read Secret ns/state: no answer within 50 ms');
});

describe('parseVersions', () => {
  it.each([
    ['[1]', 'is not an object'],
    ['{"p": 0}', 'version of "p" is not a positive integer'],
    ['{"p": 1.5}', 'version of "p" is not a positive integer'],
    ['nope', 'is not JSON'],
  ])('%s → %s', (json, message) => {
    expect(() => parseVersions(json, 'state')).toThrow(message);
  });
});
