// The "other teams" path, proven on a real broker: events published through libs/bus (an
// EventProducer, as the apps do) are received and validated by the two example consumers in
// examples/ — TypeScript with @opzero/contracts, Python with the JSON Schemas of docs/events.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Consumer, Kafka } from 'kafkajs';
import { contracts, exampleEvents, sealed, Topics, toKafkaMessage, type Contract, type Topic } from '@opzero/contracts';
import { createKafka, EventProducer } from '@opzero/bus';
import { startKafka, waitFor, type KafkaServer } from '@opzero/testing';
import { startExampleConsumer, type ReceivedRecord } from '../../examples/typescript/consumer';

const root = join(__dirname, '../..');
const python = join(process.env['OPZERO_CACHE'] ?? join(homedir(), '.cache/opzero'), 'python-examples/bin/python');
const allContracts: Contract[] = Object.values(contracts);
const topics = allContracts.map((contract) => contract.topic);
/** One valid event per topic, one re-delivery of the sealed event, one invalid sealed record. */
const expectedRecords = allContracts.length + 2;

interface PythonLine {
  topic: Topic;
  key: string;
  id: string;
  type: string;
  valid: boolean;
  error: string | null;
  duplicate: boolean;
}

describe('example consumers in examples/ on a real Kafka broker', () => {
  let server: KafkaServer;
  let kafka: Kafka;
  const ids = new Map<Topic, string>();

  beforeAll(async () => {
    server = await startKafka();
    kafka = createKafka({ brokers: server.brokers, clientId: 'examples-test' });
    const producer = new EventProducer(kafka, { contracts: allContracts });
    await producer.connect();
    try {
      for (const contract of allContracts) {
        const id = randomUUID();
        ids.set(contract.topic, id);
        await producer.publish(contract, exampleEvents[contract.topic] as never, { id });
      }
      // An at-least-once re-delivery: same CloudEvents id, same payload.
      await producer.publish(sealed, exampleEvents[Topics.sealed], { id: ids.get(Topics.sealed) as string });
    } finally {
      await producer.disconnect();
    }
    // A record no opzero producer would send (the bus validates first): threshold is a string.
    const raw = kafka.producer();
    await raw.connect();
    const valid = toKafkaMessage(sealed, exampleEvents[Topics.sealed], { id: randomUUID() });
    const value = Buffer.from(JSON.stringify({ ...exampleEvents[Topics.sealed], threshold: 'three' }));
    await raw.send({ topic: Topics.sealed, messages: [{ ...valid, value }] });
    await raw.disconnect();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  const expectEveryTopic = (valid: { topic: Topic; key: string; id: string; type: string }[]) => {
    expect(valid.map((record) => record.topic).sort()).toEqual([...topics].sort());
    for (const record of valid) {
      const contract = contracts[record.topic];
      expect(record).toMatchObject({
        id: ids.get(record.topic),
        type: `io.opzero.${record.topic}`,
        key: contract.key(exampleEvents[record.topic] as never),
      });
    }
  };

  it('TypeScript (kafkajs + @opzero/contracts): every topic validated, the re-delivery flagged, the bad record named', async () => {
    const records: ReceivedRecord[] = [];
    let consumer: Consumer | undefined;
    try {
      consumer = await startExampleConsumer({
        brokers: server.brokers,
        groupId: `example-ts-${randomUUID()}`,
        topics,
        onRecord: (record) => void records.push(record),
      });
      await waitFor('every record in the TypeScript example', async () => records.length >= expectedRecords || undefined, { timeoutMs: 60_000 });
    } finally {
      await consumer?.disconnect();
    }
    const valid = records.filter((record) => !record.error && !record.duplicate);
    expectEveryTopic(valid);
    for (const record of valid) expect(record.event).toEqual(exampleEvents[record.topic]);
    expect(records.filter((record) => record.duplicate)).toEqual([
      expect.objectContaining({ topic: Topics.sealed, id: ids.get(Topics.sealed) }),
    ]);
    const invalid = records.filter((record) => record.error);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ topic: Topics.sealed, error: expect.stringContaining('threshold') });
  }, 90_000);

  it('Python (kafka-python + jsonschema over docs/events/*.schema.json): the same records, the same verdicts', async () => {
    if (!existsSync(python)) throw new Error(`${python} is missing: run tools/infra/setup.sh (install_python_examples)`);
    const args = [
      join(root, 'examples/python/consumer.py'),
      ...['--brokers', server.brokers.join(','), '--group', `example-py-${randomUUID()}`],
      ...['--max-records', String(expectedRecords), '--timeout', '60'],
    ];
    const { stdout } = await promisify(execFile)(python, args, { cwd: root, timeout: 90_000 });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as PythonLine);
    expect(lines).toHaveLength(expectedRecords);
    expectEveryTopic(lines.filter((line) => line.valid && !line.duplicate));
    expect(lines.filter((line) => line.duplicate)).toEqual([
      expect.objectContaining({ topic: Topics.sealed, id: ids.get(Topics.sealed), valid: true }),
    ]);
    expect(lines.filter((line) => !line.valid)).toEqual([
      expect.objectContaining({ topic: Topics.sealed, error: expect.stringMatching(/^threshold: 'three' is not of type 'integer'/) }),
    ]);
  }, 120_000);
});
