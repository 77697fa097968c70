// The injector as a process over real HTTPS with a real Kafka: each mutation publishes a
// vault.pod-created.v1 that a consumer receives and validates; while Kafka is down admissions
// still succeed, and once it is back every buffered event arrives.
import { randomUUID } from 'node:crypto';
import { createKafka, EventConsumer } from '@opzero/bus';
import { podCreated, type PodCreated } from '@opzero/contracts';
import {
  postJson,
  requestJson,
  startHttpsInjector,
  startKafka,
  waitFor,
  type AppProcess,
  type KafkaServer,
} from '@opzero/testing';
import { podWith, reviewOf } from '../../libs/annotations/corpus/admission-corpus';

let kafka: KafkaServer;
let injector: AppProcess;
let consumer: EventConsumer;
let base: string;
let ca: string;
const received = new Map<string, PodCreated>();

const annotations = {
  'vault.hashicorp.com/agent-inject': 'true',
  'vault.hashicorp.com/role': 'web',
  'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web',
  'vault.hashicorp.com/agent-inject-secret-app.env': 'secret/data/shop/app',
};

async function admit(): Promise<{ uid: string; allowed: boolean; patched: boolean }> {
  const review = reviewOf(podWith(annotations));
  review.request.uid = randomUUID();
  const { status, body } = await postJson(`${base}/mutate`, JSON.stringify(review), ca);
  const response = (body as { response: { uid: string; allowed: boolean; patch?: string } }).response;
  expect(status).toBe(200);
  return { uid: response.uid, allowed: response.allowed, patched: Boolean(response.patch) };
}

beforeAll(async () => {
  kafka = await startKafka();
  ({ process: injector, base, ca } = await startHttpsInjector(kafka.brokers, { INJECTOR_LOG_LEVEL: 'warn' }));
  consumer = new EventConsumer(createKafka({ brokers: kafka.brokers, clientId: 'injector-test' }), { groupId: `test-${randomUUID()}` });
  await consumer.on(podCreated, async (event) => void received.set(event.admissionUid, event)).start();
}, 120_000);

afterAll(async () => {
  await consumer?.stop();
  await injector?.stop();
  await kafka?.stop();
});

it('publishes a validated pod-created event for a mutation, with paths and no values', async () => {
  const { uid, allowed, patched } = await admit();
  expect({ allowed, patched }).toEqual({ allowed: true, patched: true });
  const event = await waitFor('the pod-created event', async () => received.get(uid), { timeoutMs: 30_000 });
  expect(event).toMatchObject({
    admissionUid: uid,
    namespace: 'team-a',
    serviceAccount: expect.any(String),
    role: 'web',
    mode: 'both',
    restartOnRotate: false,
    secrets: [
      { name: 'app.env', path: 'secret/data/shop/app' },
      { name: 'db', path: 'database/creds/web' },
    ],
  });
});

it.each([
  ['JSON that is not an AdmissionReview', 400, JSON.stringify({ kind: 'Pod', apiVersion: 'v1' }), /not an AdmissionReview/],
  ['a body that is not JSON', 400, '{"apiVersion": ', /JSON/i],
  ['a body over the 3 MiB limit', 413, JSON.stringify({ padding: 'x'.repeat(3 * 1024 * 1024 + 10) }), /too large|limit/i],
])('answers %s with %i and the reason, and keeps serving', async (_name, status, body, reason) => {
  const response = await postJson(`${base}/mutate`, body, ca);
  expect(response.status).toBe(status);
  expect(response.text).toMatch(reason);
  expect((await admit()).allowed).toBe(true);
});

it('admits pods while Kafka is down and delivers every buffered event once it is back', async () => {
  await kafka.kill();
  const admitted: Awaited<ReturnType<typeof admit>>[] = [];
  for (let i = 0; i < 20; i++) admitted.push(await admit());
  expect(admitted.every((a) => a.allowed && a.patched)).toBe(true);

  // While the broker is away the events wait in the injector's buffer, visible in /metrics.
  const buffered = await waitFor('buffered events in /metrics', async () => {
    const metrics = (await requestJson('GET', `${base}/metrics`, { ca })).text;
    const value = Number(/^opzero_injector_events_buffered\{[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    return value > 0 ? value : undefined;
  });
  expect(buffered).toBeGreaterThanOrEqual(1);

  await kafka.restart();
  await waitFor('all 20 events', async () => (admitted.every((a) => received.has(a.uid)) ? true : undefined), { timeoutMs: 120_000 });
  for (const { uid } of admitted) expect(received.get(uid)?.role).toBe('web');
}, 240_000);
