// Bus benchmark: raw kafkajs against opzero's bus (CloudEvents envelope + zod validation on
// both ends, DLQ-capable consumer) through one real broker, same machine, same settings:
// idempotent producer, acks=-1, 3 partitions, batches of 100 for throughput; one event at a
// time for end-to-end latency. Run: npm run bench:bus [-- --events 20000]
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import { createKafka, EventConsumer, EventProducer } from '@opzero/bus';
import { exampleEvents, sealed, toKafkaMessage, Topics, type Sealed } from '@opzero/contracts';
import { startKafka, waitFor } from '@opzero/testing';
import { mib, percentile, printTable } from '../stats';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const EVENTS = argument('events', 20_000);
const LATENCY_EVENTS = argument('latency-events', 1_000);
const BATCH = 100;

interface Result {
  name: string;
  eventsPerSecond: number;
  /** Node CPU (user + system) per event, producer and consumer together. */
  cpuMicrosPerEvent: number;
  p50: number;
  p99: number;
  heapUsed: number;
}

/** What one side (raw or bus) must provide: publish a batch, and report each consumed event. */
interface Side {
  name: string;
  start(onEvent: (sentAtMs: number) => void): Promise<void>;
  publish(events: Sealed[]): Promise<void>;
  stop(): Promise<void>;
}

/** Raw kafkajs; with `ceHeaders`, the same seven CloudEvents headers the bus sends, to split the
 * binding's cost (bigger records) from the bus's own (validation, envelope code, DLQ policy). */
function rawSide(kafka: Kafka, ceHeaders = false): Side {
  const topic = `bench.raw.${randomUUID().slice(0, 8)}`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  return {
    name: ceHeaders ? 'raw kafkajs + ce_* headers' : 'raw kafkajs',
    async start(onEvent) {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await admin.disconnect();
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachMessage: async ({ message }) => {
          JSON.parse(message.value!.toString());
          onEvent(Number(message.timestamp));
        },
      });
    },
    async publish(events) {
      const messages = events.map((e) => ({
        key: e.node,
        value: JSON.stringify(e),
        ...(ceHeaders ? { headers: toKafkaMessage(sealed, e).headers } : {}),
      }));
      await producer.send({ topic, acks: -1, messages });
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

function busSide(kafka: Kafka): Side {
  const producer = new EventProducer(kafka, { contracts: [sealed] });
  const consumer = new EventConsumer(kafka, { groupId: `bench-bus-${randomUUID()}` });
  return {
    name: 'opzero bus',
    async start(onEvent) {
      await producer.connect();
      await consumer.on(sealed, async (_event, context) => onEvent(Date.parse(context.envelope.time))).start();
    },
    publish: (events) => producer.publishMany(sealed, events),
    async stop() {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

const ROUNDS = argument('rounds', 3);
const event = (i: number): Sealed => ({ ...exampleEvents[Topics.sealed], node: `vault-${i % 16}`, progress: i });

/** A started side with its counters; rounds of the two sides alternate so drift hits both. */
async function prepare(side: Side) {
  const state = { consumed: 0, latencies: [] as number[] };
  await side.start((sentAt) => {
    state.consumed++;
    state.latencies.push(Date.now() - sentAt);
  });
  // Warm-up: connections, group join, JIT.
  await side.publish(Array.from({ length: BATCH }, (_, i) => event(i)));
  await waitFor('warm-up', async () => (state.consumed >= BATCH ? true : undefined), { timeoutMs: 60_000 });
  return { side, state, throughputs: [] as number[], latencies: [] as number[], cpuMicrosPerEvent: [] as number[] };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

async function round({ side, state, throughputs, latencies, cpuMicrosPerEvent }: Prepared): Promise<void> {
  // Throughput: EVENTS in batches, four batches in flight.
  state.consumed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const batches = Array.from({ length: EVENTS / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => event(b * BATCH + i)));
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map((batch) => side.publish(batch)));
  await waitFor('all events consumed', async () => (state.consumed >= EVENTS ? true : undefined), { timeoutMs: 300_000, intervalMs: 5 });
  throughputs.push(EVENTS / ((performance.now() - started) / 1000));
  const cpu = process.cpuUsage(cpuBefore);
  cpuMicrosPerEvent.push((cpu.user + cpu.system) / EVENTS);

  // Latency: one event at a time, publish to handled.
  state.latencies = [];
  for (let i = 0; i < LATENCY_EVENTS / ROUNDS; i++) {
    const before = state.latencies.length;
    await side.publish([event(i)]);
    await waitFor('event handled', async () => (state.latencies.length > before ? true : undefined), { timeoutMs: 30_000, intervalMs: 1 });
  }
  latencies.push(...state.latencies);
}

function summarise({ side, throughputs, latencies, cpuMicrosPerEvent }: Prepared): Result {
  return {
    name: side.name,
    cpuMicrosPerEvent: percentile(cpuMicrosPerEvent, 50),
    eventsPerSecond: percentile(throughputs, 50),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    heapUsed: process.memoryUsage().heapUsed,
  };
}

async function main(): Promise<void> {
  const server = await startKafka({ partitions: 3 });
  const kafka = createKafka({ brokers: server.brokers, clientId: 'bench' });
  try {
    const sides = [await prepare(rawSide(kafka)), await prepare(rawSide(kafka, true)), await prepare(busSide(kafka))];
    for (let r = 0; r < ROUNDS; r++) for (const side of r % 2 === 0 ? sides : [...sides].reverse()) await round(side);
    await Promise.all(sides.map(({ side }) => side.stop()));
    const [raw, rawWithHeaders, bus] = sides.map(summarise) as [Result, Result, Result];
    console.log(`\nbus benchmark: ${ROUNDS} alternating rounds per side; each ${EVENTS} events (batches of ${BATCH}) for throughput`);
    console.log(`(median shown), ${LATENCY_EVENTS} events in total one at a time for end-to-end latency.`);
    console.log(`broker: ${server.description}; node ${process.version}; ${new Date().toISOString()}\n`);
    printTable(
      ['side', 'events/s (median)', 'client CPU us/event', 'e2e p50 ms', 'e2e p99 ms', 'heap used (process)'],
      [raw, rawWithHeaders, bus].map((r) => [r.name, r.eventsPerSecond.toFixed(0), r.cpuMicrosPerEvent.toFixed(1), r.p50.toFixed(1), r.p99.toFixed(1), mib(r.heapUsed)]),
    );
    const ratio = bus.eventsPerSecond / raw.eventsPerSecond;
    console.log(`\nbus/raw throughput ratio: ${ratio.toFixed(3)} (bus costs ${((1 - ratio) * 100).toFixed(1)}% of raw; target <= 10%)`);
    console.log(`bus/raw p99 latency ratio: ${(bus.p99 / raw.p99).toFixed(2)}`);
    const bindingShare = 1 - rawWithHeaders.eventsPerSecond / raw.eventsPerSecond;
    console.log(`of which the CloudEvents headers alone (raw + ce_* vs raw): ${(bindingShare * 100).toFixed(1)}%`);
    console.log(`bus vs raw with the same headers: ${((1 - bus.eventsPerSecond / rawWithHeaders.eventsPerSecond) * 100).toFixed(1)}%`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
