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
