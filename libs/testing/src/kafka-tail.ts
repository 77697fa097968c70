import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * A consumer in a group of its own, subscribed to `topic` from the beginning; not yet running.
 * Retried for up to a minute: metadata for a just-created topic may still answer "does not
 * host this topic-partition".
 */
export function subscribeFromBeginning(kafka: Kafka, topic: string): Promise<Consumer> {
  return waitFor(
    `tail of ${topic} subscribed`,
    async () => {
      const consumer = kafka.consumer({ groupId: `tail-${randomUUID()}` });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        return consumer;
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}
