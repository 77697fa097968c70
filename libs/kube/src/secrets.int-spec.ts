import { KubeBridgeError } from '@opzero/testing';
import { useKubeTestCluster } from './test/cluster';

jest.setTimeout(120_000);

const SECRET_VALUE = 's3cr3t-value-that-must-not-leak';

describe('KubeSecrets on a real API server', () => {
  const cluster = useKubeTestCluster();

  it('creates, reads back and reports a missing Secret as absent', async () => {
    const { bridge } = cluster();
    const version = await bridge.call<string>('secrets.create', { namespace: 'default', name: 'db', data: { password: SECRET_VALUE } });
    expect(version).toMatch(/^\d+$/);
    expect(await bridge.call('secrets.read', { namespace: 'default', name: 'db' })).toEqual({ resourceVersion: version, data: { password: SECRET_VALUE } });
    // What the API server stored is base64 of the bytes, as kubectl would show it.
    const stored = await bridge.call<{ data: Record<string, string>; type: string }>('read', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' } });
    expect(stored).toMatchObject({ type: 'Opaque', data: { password: Buffer.from(SECRET_VALUE).toString('base64') } });
    expect(await bridge.call('secrets.read', { namespace: 'default', name: 'absent' })).toBeNull();
  });

  it('updates only from the current resourceVersion: a stale one is a conflict and changes nothing', async () => {
    const { bridge } = cluster();
    const first = await bridge.call<string>('secrets.create', { namespace: 'default', name: 'cas', data: { v: 'one' } });
    const second = await bridge.call<string>('secrets.update', { namespace: 'default', name: 'cas', resourceVersion: first, data: { v: 'two' } });
    expect(Number(second)).toBeGreaterThan(Number(first));

    const stale = bridge.call('secrets.update', { namespace: 'default', name: 'cas', resourceVersion: first, data: { v: 'three' } });
    await expect(stale).rejects.toThrow(/Secret default\/cas was changed by someone else/);
    expect(await bridge.call('secrets.read', { namespace: 'default', name: 'cas' })).toEqual({ resourceVersion: second, data: { v: 'two' } });
  });

  it('keeps Secret data out of its errors', async () => {
    const { bridge } = cluster();
    await bridge.call('secrets.create', { namespace: 'default', name: 'dup', data: { token: SECRET_VALUE } });
    const duplicate = await bridge.call('secrets.create', { namespace: 'default', name: 'dup', data: { token: SECRET_VALUE } }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(KubeBridgeError);
    expect((duplicate as Error).message).toMatch(/create Secret default\/dup failed: HTTP 409/);
    const invalid = await bridge.call('secrets.create', { namespace: 'default', name: 'Not_Valid', data: { token: SECRET_VALUE } }).catch((error: unknown) => error);
    expect((invalid as Error).message).toMatch(/HTTP 422/);
    for (const error of [duplicate, invalid]) {
      expect((error as Error).message).not.toContain(SECRET_VALUE);
      expect((error as Error).message).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    }
  });
});
