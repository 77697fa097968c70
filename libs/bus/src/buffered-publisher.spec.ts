import { exampleEvents, isValidEvent, podCreated, Topics, validateEvent, type Contract, type EventOf } from '@opzero/contracts';
import { BufferedPublisher, type ContractPublisher } from './buffered-publisher';

const event = exampleEvents[Topics.podCreated] as EventOf<typeof podCreated>;

/** A publisher that fails while `down` is set, recording what it sent and in which requests. */
class FlakyPublisher implements ContractPublisher {
  down = false;
  sent: unknown[] = [];
  requests = 0;
  async publishMany<C extends Contract>(_contract: C, events: readonly EventOf<C>[]): Promise<void> {
    if (this.down) throw new Error('broker unavailable');
    this.requests++;
    this.sent.push(...events);
  }
}

const counts = () => {
  const c = { buffered: 0, published: 0, failed: 0, dropped: 0 };
  return { c, metrics: { buffered: (n: number) => (c.buffered = n), published: () => c.published++, failed: () => c.failed++, dropped: () => c.dropped++ } };
};
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('BufferedPublisher', () => {
  it('publishes in order without making the caller wait', async () => {
    const target = new FlakyPublisher();
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 10, metrics });
    buffer.offer({ ...event, admissionUid: 'a' });
    buffer.offer({ ...event, admissionUid: 'b' });
    await until(() => target.sent.length === 2);
    expect(target.sent.map((e) => (e as { admissionUid: string }).admissionUid)).toEqual(['a', 'b']);
    expect(c).toEqual({ buffered: 0, published: 2, failed: 0, dropped: 0 });
  });

  it('keeps events while the broker is down and delivers all of them when it is back', async () => {
    const target = new FlakyPublisher();
    target.down = true;
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 10, retryDelayMs: 5, maxRetryDelayMs: 20, metrics });
    for (const uid of ['1', '2', '3']) buffer.offer({ ...event, admissionUid: uid });
    await until(() => c.failed >= 2);
    expect(buffer.size).toBe(3);
    target.down = false;
    await until(() => target.sent.length === 3);
    expect(target.sent).toHaveLength(3);
    expect(c.published).toBe(3);
    expect(c.buffered).toBe(0);
  });

  it('drops the oldest event beyond capacity and counts it', async () => {
    const target = new FlakyPublisher();
    target.down = true;
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 2, retryDelayMs: 1000, metrics });
    for (const uid of ['1', '2', '3']) buffer.offer({ ...event, admissionUid: uid });
    expect(c.dropped).toBe(1);
    expect(buffer.size).toBe(2);
    target.down = false;
    expect(await buffer.flush(2000)).toBe(0);
    expect(target.sent.map((e) => (e as { admissionUid: string }).admissionUid)).toEqual(['2', '3']);
  });

  it('sends what queued up while the broker was away in batches, in order', async () => {
    const target = new FlakyPublisher();
    target.down = true;
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 100, batchSize: 4, retryDelayMs: 5, metrics });
    for (let i = 0; i < 10; i++) buffer.offer({ ...event, admissionUid: `uid-${i}` });
    await until(() => c.failed >= 1);
    target.down = false;
    await until(() => target.sent.length === 10);
    expect(target.sent.map((e) => (e as { admissionUid: string }).admissionUid)).toEqual(Array.from({ length: 10 }, (_, i) => `uid-${i}`));
    expect(target.requests).toBe(3); // 4 + 4 + 2
  });

  it('discards an event that fails its contract at once, without sending it', async () => {
    const target = new FlakyPublisher();
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 5, metrics });
    buffer.offer({ ...event, namespace: 'Not A Namespace' });
    buffer.offer({ ...event, admissionUid: 'good' });
    await until(() => target.sent.length === 1);
    expect(c.failed).toBe(1);
    expect(target.sent.map((e) => (e as { admissionUid: string }).admissionUid)).toEqual(['good']);
  });

  it('queues an event validated at the edge as it is, without parsing it again', async () => {
    const target = new FlakyPublisher();
    const checked = validateEvent(podCreated, { ...event, admissionUid: 'checked' });
    const parse = jest.spyOn(podCreated.schema, 'safeParse');
    try {
      new BufferedPublisher(target, podCreated, { capacity: 5 }).offer(checked);
      await until(() => target.sent.length === 1);
      expect(target.sent[0]).toBe(checked);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('validates an event from any other caller once, and hands the publisher the validated event', async () => {
    const target = new FlakyPublisher();
    const parse = jest.spyOn(podCreated.schema, 'safeParse');
    try {
      new BufferedPublisher(target, podCreated, { capacity: 5 }).offer({ ...event, admissionUid: 'unchecked' });
      await until(() => target.sent.length === 1);
      expect(parse).toHaveBeenCalledTimes(1);
      expect(isValidEvent(podCreated, target.sent[0])).toBe(true);
    } finally {
      parse.mockRestore();
    }
  });

  it('warns about a full buffer once per interval, with the number dropped, however many are dropped', () => {
    const target = new FlakyPublisher();
    target.down = true;
    const warnings: object[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (object: object) => void warnings.push(object) };
    const { c, metrics } = counts();
    const buffer = new BufferedPublisher(target, podCreated, { capacity: 5, metrics, logger, retryDelayMs: 60_000, dropLogIntervalMs: 60_000 });
    for (let i = 0; i < 30_000; i++) buffer.offer({ ...event, admissionUid: `u${i}` });
    expect(c.dropped).toBe(29_995);
    const full = warnings.filter((w) => 'capacity' in w);
    expect(full).toEqual([{ topic: podCreated.topic, capacity: 5, dropped: 1 }]);
    // The next interval's warning carries every drop since the first.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    buffer.offer({ ...event, admissionUid: 'late' });
    clock.mockRestore();
    expect(warnings.filter((w) => 'capacity' in w)).toEqual([
      { topic: podCreated.topic, capacity: 5, dropped: 1 },
      { topic: podCreated.topic, capacity: 5, dropped: 29_995 },
    ]);
    void buffer.flush(0);
  });
});
