import type { Kafka, ProducerRecord } from 'kafkajs';
import { ContractViolation, exampleEvents, podCreated, Topics, validateEvent, type EventOf } from '@opzero/contracts';
import { EventProducer } from './event-producer';

const event = exampleEvents[Topics.podCreated] as EventOf<typeof podCreated>;

/**
 * An EventProducer over a stand-in for the kafkajs client that records what would be sent: the
 * subject here is what the producer validates before sending (bus.int-spec.ts sends to a real
 * broker).
 */
function recordingProducer(): { producer: EventProducer; sent: ProducerRecord[] } {
  const sent: ProducerRecord[] = [];
  const client = { send: async (record: ProducerRecord) => void sent.push(record), connect: async () => undefined, disconnect: async () => undefined };
  const kafka = { producer: () => client } as unknown as Kafka;
  return { producer: new EventProducer(kafka, { contracts: [podCreated] }), sent };
}

const payloads = (sent: ProducerRecord[]) => sent.flatMap((record) => record.messages.map((m) => JSON.parse(String(m.value)) as unknown));

describe('EventProducer validation', () => {
  let parse: jest.SpyInstance;
  beforeEach(() => (parse = jest.spyOn(podCreated.schema, 'safeParse')));
  afterEach(() => parse.mockRestore());

  it('sends events validated at the edge without parsing them again', async () => {
    const checked = [validateEvent(podCreated, { ...event, admissionUid: 'a' }), validateEvent(podCreated, { ...event, admissionUid: 'b' })];
    parse.mockClear();
    const { producer, sent } = recordingProducer();
    await producer.publishMany(podCreated, checked);
    expect(parse).not.toHaveBeenCalled();
    expect(payloads(sent)).toEqual([{ ...event, admissionUid: 'a' }, { ...event, admissionUid: 'b' }]);
  });

  it('parses an event from any other caller once before sending it', async () => {
    const { producer, sent } = recordingProducer();
    await producer.publish(podCreated, event);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(payloads(sent)).toEqual([event]);
  });

  it('refuses a malformed event from any other caller, naming the field, and sends nothing of the batch', async () => {
    const { producer, sent } = recordingProducer();
    const checked = validateEvent(podCreated, event);
    const publishing = producer.publishMany(podCreated, [checked, { ...event, namespace: 'Not A Namespace' }]);
    await expect(publishing).rejects.toThrow(ContractViolation);
    await expect(publishing).rejects.toThrow(/namespace/);
    expect(sent).toEqual([]);
  });

  it('refuses an altered copy of a validated event: the mark does not travel with a copy', async () => {
    const { producer, sent } = recordingProducer();
    const copy = { ...validateEvent(podCreated, event), secrets: [{ name: 'db', path: 'secret/../sys' }] };
    await expect(producer.publish(podCreated, copy)).rejects.toThrow(/secrets\.0\.path/);
    expect(sent).toEqual([]);
  });
});
