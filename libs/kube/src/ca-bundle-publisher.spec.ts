import { CaBundlePublisher, type Scheduler } from './ca-bundle-publisher';
import type { CaBundleWriteResult } from './webhook-ca-bundle.writer';

/** Collects scheduled retries so the test runs them (and reads their delays) by hand. */
function manualScheduler() {
  const pending: { task: () => void; delayMs: number; cancelled: boolean }[] = [];
  const schedule: Scheduler = (task, delayMs) => {
    const entry = { task, delayMs, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const runNext = async () => {
    const entry = pending.shift();
    if (!entry) throw new Error('no retry scheduled');
    if (!entry.cancelled) entry.task();
    // Let the retried write settle.
    await new Promise((resolve) => setImmediate(resolve));
    return entry;
  };
  return { schedule, pending, runNext };
}

const ok = (configuration: string): CaBundleWriteResult => ({ configuration, webhooksPatched: 1 });

describe('CaBundlePublisher', () => {
  it('retries a failing write with doubling backoff until it succeeds', async () => {
    const scheduler = manualScheduler();
    const write = jest
      .fn<Promise<CaBundleWriteResult>, [string, string]>()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
      .mockRejectedValueOnce(new Error('forbidden'))
      .mockResolvedValue(ok('opzero-injector'));
    const failures: [string, number, number][] = [];
    const written: CaBundleWriteResult[] = [];
    const publisher = new CaBundlePublisher({
      writer: { write },
      configurationName: 'opzero-injector',
      initialBackoffMs: 1000,
      schedule: scheduler.schedule,
      onFailure: (error, attempt, retryInMs) => failures.push([error.message, attempt, retryInMs]),
      onWritten: (result) => written.push(result),
    });

    await expect(publisher.publish('PEM')).resolves.toBe(false);
    await scheduler.runNext();
    await scheduler.runNext();

    expect(failures).toEqual([
      ['connect ECONNREFUSED', 1, 1000],
      ['forbidden', 2, 2000],
    ]);
    expect(write).toHaveBeenCalledTimes(3);
    expect(write).toHaveBeenLastCalledWith('opzero-injector', 'PEM');
    expect(written).toEqual([ok('opzero-injector')]);
    expect(scheduler.pending).toHaveLength(0);
  });

  it('caps the backoff', async () => {
    const scheduler = manualScheduler();
    const delays: number[] = [];
    const publisher = new CaBundlePublisher({
      writer: { write: () => Promise.reject(new Error('down')) },
      configurationName: 'x',
      initialBackoffMs: 1000,
      maxBackoffMs: 5000,
      schedule: scheduler.schedule,
      onFailure: (_error, _attempt, retryInMs) => delays.push(retryInMs),
    });
    await publisher.publish('PEM');
    for (let i = 0; i < 4; i++) await scheduler.runNext();
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000]);
    publisher.stop();
  });

  it('drops the retry of an older bundle when a newer one is published', async () => {
    const scheduler = manualScheduler();
    const write = jest
      .fn<Promise<CaBundleWriteResult>, [string, string]>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(ok('x'));
    const publisher = new CaBundlePublisher({ writer: { write }, configurationName: 'x', schedule: scheduler.schedule });
    await publisher.publish('OLD');
    await expect(publisher.publish('NEW')).resolves.toBe(true);
    await scheduler.runNext();
    expect(write.mock.calls.map(([, pem]) => pem)).toEqual(['OLD', 'NEW']);
  });

  it('never rejects, whatever the writer throws', async () => {
    const scheduler = manualScheduler();
    const publisher = new CaBundlePublisher({ writer: { write: () => Promise.reject('not an Error') }, configurationName: 'x', schedule: scheduler.schedule });
    await expect(publisher.publish('PEM')).resolves.toBe(false);
    publisher.stop();
  });
});
