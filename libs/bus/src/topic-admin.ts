import type { Kafka } from 'kafkajs';
import { dlqTopic, type Contract } from '@opzero/contracts';

export interface TopicSettings {
  /** Partitions of topics the bus creates. */
  partitions: number;
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number;
}

export const defaultTopicSettings: TopicSettings = { partitions: 3, replicationFactor: -1 };

/**
 * Creates each contract's topic and its `.dlq` if missing. Existing topics are left as they
 * are: partition counts of live topics are an operator's decision, not a deploy side effect.
 */
export async function ensureTopics(kafka: Kafka, contracts: readonly Contract[], settings: TopicSettings): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(contracts.flatMap((contract) => [contract.topic, dlqTopic(contract.topic)]))];
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
