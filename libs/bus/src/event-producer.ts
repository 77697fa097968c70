import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { ensureValidEvent, toKafkaMessage, type Contract, type EnvelopeOptions, type EventOf, type ValidEvent } from '@opzero/contracts';
import { silentLogger, type BusLogger } from './bus-logger';
import { defaultTopicSettings, ensureTopics, type TopicSettings } from './topic-admin';

export interface EventProducerOptions {
  /** The contracts this producer publishes: their topics (and DLQs) are created at connect. */
  contracts: readonly Contract[];
  /** CloudEvents `source` override (default `/opzero/<producer>` of each contract). */
  source?: string;
  topics?: Partial<TopicSettings>;
  logger?: BusLogger;
}

/**
 * Publishes contract events: validates the payload, wraps it in a CloudEvents envelope, keys it
 * and sends it with an idempotent producer and acks from all in-sync replicas. `publish`
 * resolves once the broker acknowledged the write.
 */
export class EventProducer {
  private readonly producer: Producer;
  private readonly logger: BusLogger;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventProducerOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    // Idempotence (with acks=-1 and kafkajs's unbounded retries) keeps a retried send from
    // writing the same record twice; maxInFlightRequests 1 keeps order per partition.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    const created = await ensureTopics(this.kafka, this.options.contracts, { ...defaultTopicSettings, ...this.options.topics });
    if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
    await this.producer.connect();
  }

  /** Validates and publishes one event. Rejects with ContractViolation before anything is sent. */
  async publish<C extends Contract>(contract: C, event: EventOf<C> | ValidEvent<C>, envelope: EnvelopeOptions = {}): Promise<void> {
    await this.publishMany(contract, [event], envelope);
  }

  /**
   * Validates all events first, then publishes them in one request. An event from validateEvent
   * is not parsed again (it is frozen since); any other is, so a malformed one is still refused.
   */
  async publishMany<C extends Contract>(contract: C, events: readonly (EventOf<C> | ValidEvent<C>)[], envelope: EnvelopeOptions = {}): Promise<void> {
    const source = envelope.source ?? this.options.source;
    const messages = events.map((event) =>
      toKafkaMessage(contract, ensureValidEvent(contract, event), { ...envelope, ...(source ? { source } : {}) }),
    );
    await this.producer.send({ topic: contract.topic, acks: -1, messages });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
