// One admission from the request body to the Kafka send: the pod-created event is checked
// against its contract exactly once (at admission), and what is sent is that checked event.
// And /mutate served from the server's request event ahead of the framework's listener.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapterHost } from '@nestjs/core';
import { defaultInjectorSettings } from '@opzero/annotations';
import { EventProducer } from '@opzero/bus';
import { podCreated } from '@opzero/contracts';
import type { Kafka, ProducerRecord } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
// The review builders are test data of libs/annotations, not part of its API.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { podWith, reviewOf } from '../../../../libs/annotations/corpus/admission-corpus';
import { InjectionEvents } from './injection-events.service';
import type { InjectorOptions } from './injector-options';
import { MutateRoute } from './mutate.route';

const annotations = { 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web' };

function wiring(server?: Server) {
  const sent: ProducerRecord[] = [];
  // Stands in for the kafkajs client only: the producer, buffer and route are the real ones.
  const kafka = { producer: () => ({ send: async (record: ProducerRecord) => void sent.push(record) }) } as unknown as Kafka;
  const options: InjectorOptions = { settings: defaultInjectorSettings, eventBufferSize: 10, bodyLimitBytes: 64 * 1024 };
  const registry = new Registry();
  const logger = pino({ level: 'silent' });
  const events = new InjectionEvents(new EventProducer(kafka, { contracts: [podCreated] }), registry, logger, options);
  const adapterHost = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
  const route = new MutateRoute(options, events, adapterHost, registry, logger);
  return { route, events, sent, registry };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

it('checks an admitted pod\'s event against its contract once, from admission to the Kafka send', async () => {
  const { route, events, sent } = wiring();
  const parse = jest.spyOn(podCreated.schema, 'safeParse');
  try {
    const review = reviewOf(podWith(annotations));
    const answer = route.answer(JSON.parse(JSON.stringify(review)));
    expect(answer).toMatchObject({ status: 200, outcome: 'injected' });
    events.injected(answer.event!);
    await until(() => sent.length === 1);
    expect(parse).toHaveBeenCalledTimes(1);
    const [message] = sent[0]!.messages;
    expect(sent[0]!.topic).toBe(podCreated.topic);
    expect(JSON.parse(String(message!.value))).toEqual({ ...answer.event, admissionUid: review.request.uid, namespace: 'team-a' });
  } finally {
    parse.mockRestore();
    await events.onApplicationShutdown();
  }
});

describe('POST /mutate ahead of the framework', () => {
  let server: Server;
  let base: string;
  let wired: ReturnType<typeof wiring>;

  beforeAll(async () => {
    // The framework's own listener, as Fastify's would be: it answers everything it gets with 299.
    server = createServer((_request, response) => response.writeHead(299).end('framework'));
    wired = wiring(server);
    wired.route.onModuleInit();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await wired.events.onApplicationShutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  function send(method: string, path: string, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers an AdmissionReview posted with the API server\'s timeout query, and queues its event', async () => {
    const review = reviewOf(podWith(annotations));
    const sentBefore = wired.sent.length;
    const answer = await send('POST', '/mutate?timeout=10s', JSON.stringify(review));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const { response } = JSON.parse(answer.text) as { response: { uid: string; allowed: boolean; patchType: string } };
    expect(response).toMatchObject({ uid: review.request.uid, allowed: true, patchType: 'JSONPatch' });
    await until(() => wired.sent.length > sentBefore);
    expect(wired.sent.length).toBe(sentBefore + 1);
  });

  it.each([
    ['GET /healthz', 'GET', '/healthz'],
    ['GET /mutate', 'GET', '/mutate'],
    ['POST /mutate/', 'POST', '/mutate/'],
    ['POST /mutates', 'POST', '/mutates'],
  ])('hands %s to the framework', async (_name, method, path) => {
    expect(await send(method, path, undefined)).toMatchObject({ status: 299, text: 'framework' });
  });

  it.each([
    ['not JSON', '{"apiVersion":', { 'content-type': 'application/json' }, 400],
    ['a __proto__ key', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","__proto__":{"x":1},"request":{"uid":"u"}}', { 'content-type': 'application/json' }, 400],
    ['a request that is a string', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"}', { 'content-type': 'application/json' }, 400],
    ['text/plain', '{}', { 'content-type': 'text/plain' }, 415],
    ['past the body limit', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }), { 'content-type': 'application/json' }, 413],
  ])('answers a body that is %s with a 4xx naming why, counted as bad-request', async (_name, body, headers, status) => {
    const answer = await send('POST', '/mutate', body, headers);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({ statusCode: status, message: expect.any(String) });
  });

  it('counts what it answered by outcome', async () => {
    const metrics = await wired.registry.getSingleMetricAsString('opzero_injector_admissions_total');
    expect(metrics).toMatch(/outcome="injected"\} [1-9]/);
    expect(metrics).toMatch(/outcome="bad-request"\} [1-9]/);
  });
});
