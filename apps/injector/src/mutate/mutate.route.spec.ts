// One admission from the request body to the Kafka send: the pod-created event is checked
// against its contract exactly once (at admission), and what is sent is that checked event.
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

function wiring() {
  const sent: ProducerRecord[] = [];
  // Stands in for the kafkajs client only: the producer, buffer and route are the real ones.
  const kafka = { producer: () => ({ send: async (record: ProducerRecord) => void sent.push(record) }) } as unknown as Kafka;
  const options: InjectorOptions = { settings: defaultInjectorSettings, eventBufferSize: 10 };
  const registry = new Registry();
  const logger = pino({ level: 'silent' });
  const events = new InjectionEvents(new EventProducer(kafka, { contracts: [podCreated] }), registry, logger, options);
  const route = new MutateRoute(options, events, {} as HttpAdapterHost, registry, logger);
  return { route, events, sent };
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
