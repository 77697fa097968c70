import { fixKafkajsIdleLoop } from './kafkajs-idle-loop-fix';

describe('fixKafkajsIdleLoop', () => {
  const RequestQueue = fixKafkajsIdleLoop() as unknown as new (options: object) => {
    pending: unknown[];
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
    destroy(): void;
  };
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const queue = () => new RequestQueue({ clientId: 't', broker: 'b', logger, requestTimeout: 30_000, enforceRequestTimeout: false });

  it('arms no timer for an empty queue (kafkajs 2.2.4 re-checked it every millisecond)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check while requests are pending', () => {
    const q = queue();
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId!);
  });
});
