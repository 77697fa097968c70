// The injector as a process over real HTTPS, with a real Kafka that is killed midway: slow and
// abandoned clients are cut off without noise, probes are not logged, generated hostile reviews
// never get a 5xx, and a full event buffer while Kafka is down logs a bounded number of lines.
import { connect, type TLSSocket } from 'node:tls';
import fc from 'fast-check';
import { postJson, requestJson, startHttpsInjector, startKafka, type AppProcess, type KafkaServer } from '@opzero/testing';
// The review builders and generators are test data of libs/annotations, not part of its API.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { podWith, reviewOf } from '../../../../libs/annotations/corpus/admission-corpus';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { hostileReview } from '../../../../libs/annotations/corpus/hostile-reviews';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const HTTP_FUZZ_RUNS = Number(process.env['OPZERO_HTTP_FUZZ_RUNS'] ?? 300);

let kafka: KafkaServer;
let injector: AppProcess;
let port: number;
let base: string;
let ca: string;

const annotations = { 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web' };
const logLines = (from: number) => injector.output().slice(from).split('\n').filter(Boolean);

beforeAll(async () => {
  kafka = await startKafka();
  const started = await startHttpsInjector(
    kafka.brokers,
    {
      INJECTOR_LOG_LEVEL: 'info',
      INJECTOR_EVENT_BUFFER_SIZE: '5',
      INJECTOR_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      INJECTOR_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    },
    90_000,
  );
  ({ process: injector, port, base, ca } = started);
}, 180_000);

afterAll(async () => {
  await injector?.stop();
  await kafka?.stop();
});

/** Milliseconds until `closed` settles, or Infinity after `limitMs` (the timer is cleared either way). */
async function within(closed: Promise<number>, limitMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), limitMs)));
  try {
    return await Promise.race([closed, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens a TLS connection, writes `head`, then one byte of `trickle` a second until the server closes it. */
function dribble(head: string, trickle: string): { closed: Promise<number>; socket: TLSSocket } {
  const started = Date.now();
  const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<number>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
  });
  socket.once('secureConnect', () => {
    socket.write(head);
    let sent = 0;
    timer = setInterval(() => socket.writable && socket.write(trickle[sent++ % trickle.length]!), 1_000);
  });
  return { closed, socket };
}

it('cuts off a body sent a byte a second, and answers others meanwhile', async () => {
  const slow = dribble('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{', '1');
  // /healthz answers while the slow client holds its connection.
  expect((await requestJson('GET', `${base}/healthz`, { ca })).status).toBe(200);
  // Generous bound: the defect was a connection still open after 130 s.
  const elapsed = await within(slow.closed, 60_000);
  slow.socket.destroy();
  expect(elapsed).toBeLessThan(60_000);
}, 90_000);

it('cuts off request headers sent a byte a second', async () => {
  const slow = dribble('POST /mutate HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
  const elapsed = await within(slow.closed, 60_000);
  slow.socket.destroy();
  expect(elapsed).toBeLessThan(60_000);
}, 90_000);

it('does not log /healthz, /readyz or /metrics', async () => {
  const mark = injector.output().length;
  for (let i = 0; i < 5; i++) {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await requestJson('GET', `${base}${path}`, { ca })).status).toBe(200);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(logLines(mark).filter((line) => /"url":"\/(healthz|readyz|metrics)/.test(line))).toEqual([]);
});

it('does not log an abandoned upload as an error', async () => {
  const mark = injector.output().length;
  await new Promise<void>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.write('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"apiVersion":');
      setTimeout(() => (socket.destroy(), resolve()), 300);
    });
    socket.on('error', () => resolve());
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(logLines(mark).filter((line) => /"level":"(error|fatal)"|"stack"/.test(line))).toEqual([]);
  // And the webhook still answers.
  expect((await postJson(`${base}/mutate`, JSON.stringify(reviewOf(podWith(annotations))), ca)).status).toBe(200);
});

it(`answers ${HTTP_FUZZ_RUNS} generated hostile reviews over HTTPS with 200 or 400, never 5xx`, async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileReview, async (body) => {
      const { status } = await postJson(`${base}/mutate`, JSON.stringify(body), ca);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect([200, 400]).toContain(status);
    }),
    { numRuns: HTTP_FUZZ_RUNS, seed: 20261128 },
  );
  expect(statuses.get(200)).toBeGreaterThan(HTTP_FUZZ_RUNS / 2);
}, 180_000);

it.each([
  ['a 1 MiB annotation value', 200, JSON.stringify(reviewOf(podWith({ ...annotations, 'vault.hashicorp.com/auth-min-backoff': `${'1'.repeat(1024 * 1024)}x` })))],
  ['a __proto__ key', 400, '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","__proto__":{"x":1},"request":{"uid":"u"}}'],
  ['JSON nested 100,000 deep', 200, `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","object":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`],
  ['a request that is a string', 400, '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"}'],
])('answers %s with %i', async (_name, status, body) => {
  const response = await postJson(`${base}/mutate`, body, ca);
  expect(response.status).toBe(status);
  if (status === 200) expect((response.body as { response: { allowed: boolean } }).response.allowed).toBe(false);
}, 60_000);

it('logs a bounded number of lines when the event buffer overflows while Kafka is down', async () => {
  await kafka.kill();
  const mark = injector.output().length;
  const started = Date.now();
  const body = () => JSON.stringify(reviewOf(podWith(annotations)));
  for (let batch = 0; batch < 100; batch++) {
    const answers = await Promise.all(Array.from({ length: 10 }, () => postJson(`${base}/mutate`, body(), ca)));
    expect(answers.every((a) => a.status === 200 && (a.body as { response: { allowed: boolean } }).response.allowed)).toBe(true);
  }
  const seconds = (Date.now() - started) / 1000;
  const lines = logLines(mark);
  const full = lines.filter((line) => line.includes('event buffer full'));
  // One warning per 10 s interval (the first at once), however many of the 1,000 were dropped.
  expect(full.length).toBeGreaterThanOrEqual(1);
  expect(full.length).toBeLessThanOrEqual(1 + Math.ceil(seconds / 10));
  // Everything else logged meanwhile (Kafka reconnects) is bounded by its backoff, not by admissions.
  expect(lines.length).toBeLessThan(200);
  const metrics = (await requestJson('GET', `${base}/metrics`, { ca })).text;
  expect(Number(/^opzero_injector_events_dropped_total\{[^}]*\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(990);
}, 180_000);
