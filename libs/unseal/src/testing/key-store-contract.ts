import { KeyStoreConflict, type KeyStore } from '../key-store';
import type { StoredKeys } from '../stored-keys';

const keys = (state: StoredKeys['state'], blob: string): StoredKeys => ({
  format: 'opzero-unseal/v1',
  state,
  kind: 'unseal',
  createdAt: '2026-11-28T17:00:00.000Z',
  threshold: 1,
  shares: state === 'complete' ? [{ provider: 'local-key-file', keyId: 'sha256:00', blob }] : [],
});

/** The behaviour every KeyStore must have, run against each real store by its own test. */
export function keyStoreContract(makeStore: () => Promise<KeyStore>): void {
  it('is empty, then creates once and refuses a second create', async () => {
    const store = await makeStore();
    expect(await store.load()).toBeUndefined();
    await store.create(keys('pending-init', ''));
    expect((await store.load())?.value.state).toBe('pending-init');
    await expect(store.create(keys('pending-init', ''))).rejects.toBeInstanceOf(KeyStoreConflict);
  });

  it('replaces only at the revision it read (compare-and-set)', async () => {
    const store = await makeStore();
    const first = await store.create(keys('pending-init', ''));
    const second = await store.replace(keys('complete', 'b64-one'), first);
    expect((await store.load())?.value.shares[0]?.blob).toBe('b64-one');
    await expect(store.replace(keys('complete', 'b64-two'), first)).rejects.toBeInstanceOf(KeyStoreConflict);
    await store.replace(keys('complete', 'b64-three'), second);
    expect(await store.load()).toMatchObject({ value: { shares: [{ blob: 'b64-three' }] } });
  });
}
