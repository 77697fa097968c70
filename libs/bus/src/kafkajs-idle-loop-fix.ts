/**
 * kafkajs 2.2.4 keeps every idle broker connection busy: RequestQueue.scheduleCheckPendingRequests
 * arms `setTimeout(check, throttledUntil - Date.now())` even with nothing pending, and with no
 * throttle that delay is negative (Node runs it after 1 ms), so each connection re-checks an
 * empty queue about a thousand times a second (tulios/kafkajs#1556 and #1704; the fix, #1667,
 * is unreleased). Measured: 3% of a core per idle unseal-keeper. This applies that fix: with
 * nothing pending there is nothing to schedule, because push() schedules again when it queues a
 * request and every answer or timeout re-checks the queue.
 */
interface RequestQueueInternals {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
}

type RequestQueueClass = { prototype: RequestQueueInternals };

let applied = false;

/** Patches kafkajs's RequestQueue once per process; later calls do nothing. Returns the class (for tests). */
export function fixKafkajsIdleLoop(): RequestQueueClass {
  // kafkajs has no `exports` map, so its internal module resolves to the same instance it uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;
  if (applied) return RequestQueue;
  applied = true;
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
  return RequestQueue;
}

/** The parts of kafkajs's RequestQueue the request-timeout patch touches. */
interface TimedRequestQueue {
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  inflight: Map<number, { sentAt: number | null; requestTimeout: number; timeoutRequest(): void }>;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  /** Set by the patch: the connection is up and wants its requests timed out. */
  timeoutChecksArmed?: boolean;
  isConnected(): boolean;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest(request: unknown): void;
  destroy(): void;
}

let lazyTimeoutsApplied = false;

/**
 * kafkajs enforces request timeouts with a `setInterval` of min(requestTimeout, 100 ms) per
 * broker connection, armed at connect for the connection's whole life: an idle producer wakes
 * ten times a second per connection to look at an empty in-flight map. Patched, the same check
 * (same period, same test) runs only while a request is in flight: sending a request starts it,
 * and a tick that finds nothing in flight (or the connection gone) stops it. Process-wide and
 * applied once; opt-in through KafkaConnection.lazyRequestTimeoutCheck. Returns the class (for tests).
 */
export function lazyKafkajsRequestTimeoutCheck(): { prototype: TimedRequestQueue } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: TimedRequestQueue };
  if (lazyTimeoutsApplied) return RequestQueue;
  lazyTimeoutsApplied = true;
  const { prototype } = RequestQueue;
  const destroy = prototype.destroy;
  const send = prototype.sendSocketRequest;
  prototype.destroy = function (this: TimedRequestQueue) {
    destroy.call(this);
    this.requestTimeoutIntervalId = undefined;
    this.timeoutChecksArmed = false;
  };
  prototype.scheduleRequestTimeoutCheck = function (this: TimedRequestQueue) {
    this.destroy();
    this.timeoutChecksArmed = this.enforceRequestTimeout;
  };
  prototype.sendSocketRequest = function (this: TimedRequestQueue, request: unknown) {
    send.call(this, request);
    if (!this.timeoutChecksArmed || this.requestTimeoutIntervalId !== undefined || this.inflight.size === 0) return;
    const interval = setInterval(() => {
      this.inflight.forEach((inflight) => {
        if (Date.now() - (inflight.sentAt ?? Date.now()) > inflight.requestTimeout) inflight.timeoutRequest();
      });
      if (this.inflight.size > 0 && this.isConnected()) return;
      clearInterval(interval);
      if (this.requestTimeoutIntervalId === interval) this.requestTimeoutIntervalId = undefined;
    }, Math.min(this.requestTimeout, 100));
    this.requestTimeoutIntervalId = interval;
  };
  return RequestQueue;
}
