// Example opzero event consumer for another team's TypeScript service: kafkajs plus the published
// contracts (@opzero/contracts), without libs/bus. It shows the three rules every consumer needs:
// validate against the contract, de-duplicate by the CloudEvents id (delivery is at least once),
// commit only after handling. Invalid records are reported, not thrown, so one bad record never
// blocks a partition.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { contracts, fromKafkaMessage, parseEvent, type Topic } from '@opzero/contracts';

/** One record as the example consumer saw it. */
export interface ReceivedRecord {
  topic: Topic;
  key: string;
  id: string;
  type: string;
  /** The validated payload, or undefined when the record failed validation. */
  event: unknown;
  error?: string;
  /** True when this CloudEvents id was already handled (a re-delivery). */
  duplicate: boolean;
}

export interface ExampleConsumerOptions {
  brokers: string[];
  groupId: string;
  topics: readonly Topic[];
  onRecord: (record: ReceivedRecord) => void | Promise<void>;
}

/** Starts consuming from the earliest offset; resolves once running. Call stop() on the result. */
export async function startExampleConsumer(options: ExampleConsumerOptions): Promise<Consumer> {
  const kafka = new Kafka({ clientId: options.groupId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: options.groupId });
  // A real service keeps this in its database, in the same transaction as the handler's effect.
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
  await consumer.run({
    // kafkajs commits the offset after eachMessage resolves: at-least-once.
    eachMessage: async ({ topic, message }) => {
      const contract = contracts[topic as Topic];
      const key = message.key?.toString() ?? '';
      let record: ReceivedRecord;
      try {
        const envelope = fromKafkaMessage(message);
        if (envelope.type !== contract.type) throw new Error(`ce_type ${envelope.type} is not ${contract.type}`);
        const event = parseEvent(contract, envelope.data);
        record = { topic: contract.topic, key, id: envelope.id, type: envelope.type, event, duplicate: seen.has(envelope.id) };
        seen.add(envelope.id);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        record = { topic: contract.topic, key, id: '', type: '', event: undefined, error: text, duplicate: false };
      }
      await options.onRecord(record);
    },
  });
  return consumer;
}
