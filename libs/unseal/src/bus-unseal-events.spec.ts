import { sealed, unsealed, type Contract } from '@opzero/contracts';
import { BusUnsealEvents } from './bus-unseal-events';

describe('BusUnsealEvents', () => {
  const node = 'http://vault-0:8200';
  const sealedEvent = { node, detectedAt: '2026-11-28T17:00:00.000Z', initialized: true, threshold: 3, shares: 5, progress: 0 };
  const unsealedEvent = { node, unsealedAt: '2026-11-28T17:00:00.050Z', durationMs: 50, sharesUsed: 3 };

  it('publishes in order, one at a time, retrying a failed send before the next event', async () => {
    const sent: string[] = [];
    let failures = 1;
    const publisher = {
      async publishMany(contract: Contract) {
        if (contract === sealed && failures-- > 0) throw new Error('broker not available');
        sent.push(contract.topic);
      },
    };
    const events = new BusUnsealEvents(publisher);
    events.sealed(sealedEvent);
    events.unsealed(unsealedEvent);
    expect(await events.flush(5_000)).toBe(0);
    expect(sent).toEqual([sealed.topic, unsealed.topic]);
  });

  it('keeps at most `capacity` events while Kafka is away, dropping the oldest', async () => {
    const sent: unknown[] = [];
    let open = false;
    const publisher = {
      async publishMany(_contract: Contract, batch: readonly unknown[]) {
        if (!open) throw new Error('down');
        sent.push(...batch);
      },
    };
    const events = new BusUnsealEvents(publisher, { capacity: 2 });
    events.sealed(sealedEvent);
    events.unsealed(unsealedEvent);
    events.sealed({ ...sealedEvent, progress: 1 });
    open = true;
    expect(await events.flush(5_000)).toBe(0);
    expect(sent).toEqual([unsealedEvent, { ...sealedEvent, progress: 1 }]);
  });
});
