import { consulAvailability, startConsul, type ConsulServer } from '@opzero/testing';
import { ConsulClient } from './index';

// The one allowed skip: where Consul cannot be built here, the reason is printed and these
// tests run wherever a Consul image exists.
const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

describeConsul('ConsulClient on a real Consul', () => {
  let server: ConsulServer;
  let consul: ConsulClient;

  beforeAll(async () => {
    server = await startConsul();
    consul = new ConsulClient({ address: server.address });
  }, 120_000);
  afterAll(() => server?.stop());

  it('puts and gets a key, and reports a missing one as null', async () => {
    expect(await consul.kvPut('vm-config/web-01', '{"platform":"debian"}')).toBe(true);
    const entry = await consul.kvGet('vm-config/web-01');
    expect(entry.value?.value).toBe('{"platform":"debian"}');
    expect(entry.index).toBeGreaterThan(0);
    expect((await consul.kvGet('vm-config/nobody')).value).toBeNull();
  });

  it('check-and-set refuses a stale index', async () => {
    await consul.kvPut('cas/key', 'one');
    const { value } = await consul.kvGet('cas/key');
    expect(await consul.kvPut('cas/key', 'two', { cas: value!.modifyIndex })).toBe(true);
    expect(await consul.kvPut('cas/key', 'three', { cas: value!.modifyIndex })).toBe(false);
    expect((await consul.kvGet('cas/key')).value?.value).toBe('two');
  });

  it('a blocking query returns when the key changes, with the new value and a higher index', async () => {
    await consul.kvPut('watch/me', 'before');
    const first = await consul.kvGet('watch/me');
    const started = Date.now();
    const blocked = consul.kvGet('watch/me', { index: first.index, wait: '30s' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consul.kvPut('watch/me', 'after');
    const changed = await blocked;
    expect(changed.value?.value).toBe('after');
    expect(changed.index).toBeGreaterThan(first.index);
    // It waited for the change instead of answering at once, and well before the 30 s limit.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('lists a prefix recursively', async () => {
    await consul.kvPut('list/a', '1');
    await consul.kvPut('list/b/c', '2');
    const { value } = await consul.kvList('list/');
    expect(value.map((entry) => entry.key)).toEqual(['list/a', 'list/b/c']);
  });

  it('reports a leader', async () => {
    expect(await consul.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
