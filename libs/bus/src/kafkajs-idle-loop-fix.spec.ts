import { fixKafkajsIdleLoop, lazyKafkajsRequestTimeoutCheck } from './kafkajs-idle-loop-fix';

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

describe('lazyKafkajsRequestTimeoutCheck', () => {
  interface Entry {
    correlationId: number;
    apiName: string;
    apiKey: number;
    apiVersion: number;
    resolve(value: unknown): void;
    reject(error: Error): void;
  }
  const RequestQueue = lazyKafkajsRequestTimeoutCheck() as unknown as new (options: object) => {
    requestTimeoutIntervalId: NodeJS.Timeout | undefined;
    scheduleRequestTimeoutCheck(): void;
    push(request: { entry: Entry; expectResponse: boolean; sendRequest(): void }): void;
    fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
    destroy(): void;
  };
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const connected = () => {
    const q = new RequestQueue({ clientId: 't', broker: 'b', logger, requestTimeout: 50, enforceRequestTimeout: true, isConnected: () => true });
    q.scheduleRequestTimeoutCheck();
    return q;
  };
  const request = (correlationId: number) => {
    const outcome: { error?: Error; value?: unknown } = {};
    const entry: Entry = { correlationId, apiName: 'Produce', apiKey: 0, apiVersion: 7, resolve: (value) => (outcome.value = value), reject: (error) => (outcome.error = error) };
    return { request: { entry, expectResponse: true, sendRequest() {} }, outcome };
  };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('arms no timer on an idle connection (kafkajs checks every 100 ms for its whole life)', () => {
    const q = connected();
    expect(q.requestTimeoutIntervalId).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still times out a request in flight, then stops checking', () => {
    const q = connected();
    const { request: sent, outcome } = request(1);
    q.push(sent);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(200);
    expect(outcome.error?.message).toMatch(/Request Produce\(key: 0, version: 7\) timed out/);
    expect(q.requestTimeoutIntervalId).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops checking once the answers are in, and starts again with the next request', () => {
    const q = connected();
    const first = request(1);
    q.push(first.request);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    jest.advanceTimersByTime(100);
    expect(first.outcome.error).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
    const second = request(2);
    q.push(second.request);
    expect(jest.getTimerCount()).toBe(1);
    q.destroy();
    expect(jest.getTimerCount()).toBe(0);
  });
});
