import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { dlqTopic, exampleEvents, sealed, Topics, type Sealed } from '@opzero/contracts';
import { startKafka, waitFor, type KafkaServer } from '@opzero/testing';
import { createKafka, DlqHeaders, EventConsumer, EventProducer, TransientError, type HandlerContext } from './index';

const sealedEvent = (node: string, progress = 0): Sealed => ({ ...exampleEvents[Topics.sealed], node, progress });

/** Reads every record of a topic from the beginning into an array, until stopped. */
async function tail(kafka: Kafka, topic: string) {
  const records: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `tail-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
  return { records, stop: () => consumer.disconnect() };
}

describe('bus on a real Kafka broker', () => {
  let server: KafkaServer;
  let kafka: Kafka;
  let producer: EventProducer;
  const consumers: EventConsumer[] = [];

  const consumer = (retry = { initialDelayMs: 20, maxDelayMs: 100 }) => {
    const created = new EventConsumer(kafka, { groupId: `test-${randomUUID()}`, retry });
    consumers.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startKafka();
    kafka = createKafka({ brokers: server.brokers, clientId: 'bus-test' });
    producer = new EventProducer(kafka, { contracts: [sealed] });
    await producer.connect();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await server?.stop();
  });

  it('round-trips an event with CloudEvents headers, key and validated payload', async () => {
    const node = `node-${randomUUID()}`;
    const received: [Sealed, HandlerContext][] = [];
    await consumer()
      .on(sealed, async (event, context) => {
        if (event.node === node) received.push([event, context]);
      })
      .start();

    await producer.publish(sealed, sealedEvent(node, 2), { id: 'round-trip-1' });

    const [event, context] = await waitFor('the event', async () => received[0]);
    expect(event).toEqual(sealedEvent(node, 2));
    expect(context.envelope).toMatchObject({
      id: 'round-trip-1',
      type: 'io.opzero.vault.sealed.v1',
      source: '/opzero/unseal-keeper',
      specversion: '1.0',
      key: node,
    });
    expect(context.topic).toBe(Topics.sealed);
    expect(context.attempt).toBe(1);
  }, 60_000);

  it('refuses to publish an invalid payload, naming the field, and sends nothing', async () => {
    const bad = { ...sealedEvent(`node-${randomUUID()}`), threshold: 'three' } as unknown as Sealed;
    await expect(producer.publish(sealed, bad)).rejects.toThrow(/vault\.sealed\.v1: threshold: /);
  });

  it('sends an invalid message to the DLQ with its error and original headers, and carries on', async () => {
    const node = `node-${randomUUID()}`;
    const handled: Sealed[] = [];
    await consumer()
      .on(sealed, async (event) => {
        if (event.node === node) handled.push(event);
      })
      .start();
    const dlq = await tail(kafka, dlqTopic(Topics.sealed));

    // A poison record written past our producer's validation: a negative progress.
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: Topics.sealed,
      messages: [
        {
          key: node,
          value: JSON.stringify({ ...sealedEvent(node), progress: -1 }),
          headers: { ce_id: 'poison-1', ce_source: '/test', ce_type: sealed.type, ce_specversion: '1.0' },
        },
        { key: node, value: 'not json at all', headers: { ce_id: 'poison-2', ce_source: '/test', ce_type: sealed.type, ce_specversion: '1.0' } },
      ],
    });
    await raw.disconnect();
    await producer.publish(sealed, sealedEvent(node, 7));

    await waitFor('the valid event after the poison ones', async () => (handled.length === 1 ? true : undefined));
    expect(handled[0]?.progress).toBe(7);
    const letters = await waitFor('two dead letters', async () => {
      const mine = dlq.records.filter((r) => r.key?.toString() === node);
      return mine.length === 2 ? mine : undefined;
    });
    await dlq.stop();

    const header = (r: KafkaMessage, name: string) => r.headers?.[name]?.toString();
    expect(letters.map((r) => header(r, 'ce_id'))).toEqual(['poison-1', 'poison-2']);
    expect(letters.map((r) => header(r, DlqHeaders.reason))).toEqual(['invalid', 'invalid']);
    expect(header(letters[0]!, DlqHeaders.error)).toMatch(/progress: /);
    expect(header(letters[1]!, DlqHeaders.error)).toMatch(/not valid JSON/);
    expect(header(letters[0]!, DlqHeaders.topic)).toBe(Topics.sealed);
    expect(letters[1]!.value?.toString()).toBe('not json at all');
  }, 60_000);

  it('retries a transient handler error with backoff until it succeeds', async () => {
    const node = `node-${randomUUID()}`;
    const attempts: number[] = [];
    await consumer()
      .on(sealed, async (event, context) => {
        if (event.node !== node) return;
        attempts.push(context.attempt);
        if (context.attempt < 3) throw new TransientError('vault is restarting');
      })
      .start();
    await producer.publish(sealed, sealedEvent(node));
    await waitFor('three attempts', async () => (attempts.length === 3 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toEqual([1, 2, 3]);
  }, 60_000);

  it('dead-letters a permanent handler error at once, and a transient one after the last retry', async () => {
    const permanent = `node-${randomUUID()}`;
    const exhausted = `node-${randomUUID()}`;
    const calls: Record<string, number> = { [permanent]: 0, [exhausted]: 0 };
    await consumer()
      .on(sealed, async (event) => {
        if (!(event.node in calls)) return;
        calls[event.node]! += 1;
        throw event.node === permanent ? new Error('unknown node') : new TransientError('still down');
      })
      .start();
    const dlq = await tail(kafka, dlqTopic(Topics.sealed));
    await producer.publish(sealed, sealedEvent(permanent));
    await producer.publish(sealed, sealedEvent(exhausted));

    const letters = await waitFor('two dead letters', async () => {
      const mine = dlq.records.filter((r) => [permanent, exhausted].includes(r.key?.toString() ?? ''));
      return mine.length === 2 ? mine : undefined;
    });
    await dlq.stop();
    const byKey = Object.fromEntries(letters.map((r) => [r.key?.toString(), r.headers!]));
    expect(calls).toEqual({ [permanent]: 1, [exhausted]: 5 });
    expect(byKey[permanent]![DlqHeaders.attempts]?.toString()).toBe('1');
    expect(byKey[permanent]![DlqHeaders.error]?.toString()).toBe('unknown node');
    expect(byKey[exhausted]![DlqHeaders.attempts]?.toString()).toBe('5');
    expect(byKey[exhausted]![DlqHeaders.reason]?.toString()).toBe('failed');
  }, 60_000);

  it('stop() lets an in-flight handler finish and commits it: the group does not see it again', async () => {
    const node = `node-${randomUUID()}`;
    const groupId = `drain-${randomUUID()}`;
    let finished = 0;
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const first = new EventConsumer(kafka, { groupId });
    await first
      .on(sealed, async (event) => {
        if (event.node !== node) return;
        started();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        finished += 1;
      })
      .start();
    await producer.publish(sealed, sealedEvent(node));
    await handlerStarted;
    await first.stop();
    expect(finished).toBe(1);

    // The same group resumes after the committed offset: a marker published now is the first
    // and only event of this node it sees.
    const seen: number[] = [];
    const second = new EventConsumer(kafka, { groupId });
    consumers.push(second);
    await second.on(sealed, async (event) => void (event.node === node && seen.push(event.progress))).start();
    await producer.publish(sealed, sealedEvent(node, 99));
    await waitFor('the marker', async () => (seen.includes(99) ? true : undefined));
    expect(seen).toEqual([99]);
  }, 90_000);

  it('a consumer stopped mid-retry leaves the record uncommitted: the next member of the group gets it', async () => {
    const node = `node-${randomUUID()}`;
    const groupId = `resume-${randomUUID()}`;
    let firstAttempts = 0;
    const first = new EventConsumer(kafka, { groupId, retry: { attempts: 100, initialDelayMs: 500, maxDelayMs: 500 } });
    await first
      .on(sealed, async (event) => {
        if (event.node !== node) return;
        firstAttempts++;
        throw new TransientError('dependency down');
      })
      .start();
    const dlq = await tail(kafka, dlqTopic(Topics.sealed));
    await producer.publish(sealed, sealedEvent(node, 5), { id: `resume-${node}` });
    await waitFor('the first attempts', async () => (firstAttempts >= 2 ? true : undefined));
    await first.stop();

    const resumed: string[] = [];
    const second = new EventConsumer(kafka, { groupId });
    consumers.push(second);
    await second.on(sealed, async (event, context) => void (event.node === node && resumed.push(context.envelope.id))).start();
    await waitFor('the redelivery', async () => (resumed.length > 0 ? true : undefined));
    expect(resumed).toEqual([`resume-${node}`]);
    await dlq.stop();
    expect(dlq.records.filter((r) => r.key?.toString() === node)).toHaveLength(0);
  }, 90_000);

  it('loses nothing when the broker restarts while 1,000 keyed messages flow', async () => {
    const run = randomUUID().slice(0, 8);
    const keys = Array.from({ length: 10 }, (_, i) => `restart-${run}-${i}`);
    const total = 1_000;
    const deliveries: { id: string; key: string; seq: number }[] = [];
    await consumer({ initialDelayMs: 50, maxDelayMs: 1_000 })
      .on(sealed, async (event, context) => {
        if (event.node.startsWith(`restart-${run}-`)) deliveries.push({ id: context.envelope.id, key: event.node, seq: event.progress });
      })
      .start();

    let restart: Promise<void> | undefined;
    for (let seq = 0; seq < total; seq++) {
      if (seq === 300) restart = server.restart();
      await producer.publish(sealed, sealedEvent(keys[seq % keys.length]!, seq), { id: `${run}-${seq}` });
    }
    await restart;

    await waitFor('all 1,000 events', async () => (new Set(deliveries.map((d) => d.id)).size === total ? true : undefined), {
      timeoutMs: 120_000,
    });
    const distinct = new Set(deliveries.map((d) => d.id));
    const duplicates = deliveries.length - distinct.size;
    process.stderr.write(`[bus restart test] produced ${total}, handled ${distinct.size} distinct, ${duplicates} duplicate deliveries\n`);
    expect(distinct.size).toBe(total);

    // Per key, first deliveries arrive in publish order (same partition, idempotent producer).
    for (const key of keys) {
      const firstSeen = [...new Map(deliveries.filter((d) => d.key === key).map((d) => [d.id, d.seq])).values()];
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
    }
  }, 240_000);
});
