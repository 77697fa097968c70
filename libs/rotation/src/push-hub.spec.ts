import { PushHub } from './push-hub';
import { MAX_WATCH_PATHS, parseWatchRequest } from './watch-request';

describe('PushHub', () => {
  it('answers at once when a watched path is already newer than the version the sidecar knows', async () => {
    const hub = new PushHub();
    hub.publish('secret/data/a', 3);
    expect(await hub.wait(['secret/data/a', 'secret/data/b'], { 'secret/data/a': 2 }, 10_000)).toEqual({ 'secret/data/a': 3 });
    expect(hub.waiting).toBe(0);
  });

  it('wakes a waiter on a new version of one of its paths only', async () => {
    const hub = new PushHub();
    hub.publish('secret/data/a', 3);
    const waiting = hub.wait(['secret/data/a'], { 'secret/data/a': 3 }, 10_000);
    hub.publish('secret/data/other', 9);
    hub.publish('secret/data/a', 3);
    expect(hub.waiting).toBe(1);
    hub.publish('secret/data/a', 4);
    expect(await waiting).toEqual({ 'secret/data/a': 4 });
    expect(hub.waiting).toBe(0);
  });

  it('answers nothing changed when the wait ends or the client goes away, and forgets the waiter', async () => {
    const hub = new PushHub();
    expect(await hub.wait(['secret/data/a'], {}, 20)).toEqual({});
    const controller = new AbortController();
    const waiting = hub.wait(['secret/data/a'], {}, 10_000, controller.signal);
    controller.abort();
    expect(await waiting).toEqual({});
    expect(hub.waiting).toBe(0);
  });
});

describe('parseWatchRequest', () => {
  it('fills defaults', () => {
    expect(parseWatchRequest({ paths: ['secret/data/a'] })).toEqual({ paths: ['secret/data/a'], known: {}, waitMs: 30_000 });
  });

  it.each([
    [null, 'body:'],
    [{}, 'paths:'],
    [{ paths: [] }, 'paths:'],
    [{ paths: ['/abs'] }, 'paths.0: must be a relative Vault path'],
    [{ paths: ['a b'] }, 'paths.0: must be a relative Vault path'],
    [{ paths: ['x'.repeat(1025)] }, 'paths.0:'],
    [{ paths: Array.from({ length: MAX_WATCH_PATHS + 1 }, (_, i) => `p${i}`) }, 'paths:'],
    [{ paths: ['a'], known: { a: -1 } }, 'known.a:'],
    [{ paths: ['a'], waitMs: 60_001 }, 'waitMs:'],
    [{ paths: ['a'], extra: 1 }, 'body: Unrecognized key'],
  ])('%j → 400 naming %s', (body, message) => {
    expect(() => parseWatchRequest(body)).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining(message) }));
  });
});
