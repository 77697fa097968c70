import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Consumer, type EachMessagePayload, type Kafka, type Producer } from 'kafkajs';
import {
  ContractViolation,
  EnvelopeError,
  fromKafkaMessage,
  parseEvent,
  type Contract,
  type EventOf,
  type ReceivedEnvelope,
  type Topic,
} from '@opzero/contracts';
import { silentLogger, type BusLogger } from './bus-logger';
import { noopBusMetrics, type BusMetrics } from './bus-metrics';
import { sendToDeadLetter, type DeadLetterReason } from './dead-letter';
import { isTransient } from './handler-errors';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './retry-policy';
import { defaultTopicSettings, ensureTopics, type TopicSettings } from './topic-admin';

/** What a handler learns about the record besides the validated payload. */
export interface HandlerContext {
  /** CloudEvents attributes; `envelope.id` is the event id handlers de-duplicate on. */
  envelope: ReceivedEnvelope;
  topic: Topic;
  partition: number;
  offset: string;
  /** 1 on first delivery to the handler, 2+ on in-process retries. */
  attempt: number;
  /** Aborted when the consumer is stopping: long work should give up and throw. */
  signal: AbortSignal;
}

export type EventHandler<C extends Contract> = (event: EventOf<C>, context: HandlerContext) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  retry?: Partial<RetryPolicy>;
  /** New consumer groups start at the earliest offset (default) so no event before deploy is missed. */
  fromBeginning?: boolean;
  /** Partitions handled in parallel; order is kept within a partition. */
  partitionsConsumedConcurrently?: number;
  topics?: Partial<TopicSettings>;
  logger?: BusLogger;
  metrics?: BusMetrics;
}

interface Route {
  contract: Contract;
  handler: EventHandler<Contract>;
}

class StoppingError extends Error {
  override readonly name = 'StoppingError';
}

/**
 * Consumes contract events with an explicit failure policy:
 * - an envelope or payload that fails validation goes to `<topic>.dlq` at once;
 * - a handler error marked transient is retried with backoff, in place (order is kept);
 * - an error that is not transient, or still failing after the retries, goes to the DLQ;
 * - the offset is resolved only after the handler succeeded or the DLQ write was acknowledged,
 *   so a crash re-delivers instead of losing (handlers de-duplicate by `envelope.id`);
 * - stop() lets in-flight handlers finish, aborts backoff waits, commits, then leaves the group.
 */
export class EventConsumer {
  private readonly routes = new Map<Topic, Route>();
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly retry: RetryPolicy;
  private readonly logger: BusLogger;
  private readonly metrics: BusMetrics;
  private readonly stopping = new AbortController();
  private running = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventConsumerOptions,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.dlqProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noopBusMetrics;
  }

  /** Registers the handler of one contract's topic. Call before start(). */
  on<C extends Contract>(contract: C, handler: EventHandler<C>): this {
    if (this.running) throw new Error(`cannot subscribe to ${contract.topic}: the consumer is already running`);
    this.routes.set(contract.topic, { contract, handler: handler as EventHandler<Contract> });
    return this;
  }

  async start(): Promise<void> {
    if (this.routes.size === 0) throw new Error(`consumer group ${this.options.groupId}: no handler registered`);
    const contracts = [...this.routes.values()].map((route) => route.contract);
    await ensureTopics(this.kafka, contracts, { ...defaultTopicSettings, ...this.options.topics });
    await this.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.routes.keys()], fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachMessage: (payload) => this.handle(payload),
    });
  }

  /** Graceful: finishes in-flight handlers, commits their offsets, leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
    this.running = false;
  }

  private async handle({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const route = this.routes.get(topic as Topic);
    if (!route) throw new Error(`no handler for topic ${topic}`);
    const where = { topic, partition, offset: message.offset };
    const deadLetter = async (reason: DeadLetterReason, error: unknown, attempts: number) => {
      const text = error instanceof Error ? error.message : String(error);
      await sendToDeadLetter(this.dlqProducer, {
        ...where,
        topic: topic as Topic,
        key: message.key,
        value: message.value,
        headers: message.headers,
        reason,
        error: text,
        attempts,
      });
      this.metrics.handled(topic, reason === 'invalid' ? 'dead-lettered-invalid' : 'dead-lettered-failed');
      this.logger.warn({ ...where, reason, error: text, attempts }, 'message sent to dead-letter topic');
    };

    let envelope: ReceivedEnvelope;
    let event: EventOf<Contract>;
    try {
      envelope = fromKafkaMessage(message);
      event = parseEvent(route.contract, envelope.data);
    } catch (error) {
      if (error instanceof EnvelopeError || error instanceof ContractViolation) return deadLetter('invalid', error, 0);
      throw error;
    }

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        await route.handler(event, { envelope, ...where, topic: topic as Topic, attempt, signal: this.stopping.signal });
        this.metrics.handlerSeconds(topic, (performance.now() - started) / 1000);
        this.metrics.handled(topic, 'ok');
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) {
          // Not handled and not dead-lettered: leave the offset unresolved so the record is
          // delivered again after the restart.
          throw new StoppingError(`stopping during ${topic}@${partition}:${message.offset}`, { cause: error });
        }
        if (!isTransient(error) || attempt >= this.retry.attempts) return deadLetter('failed', error, attempt);
        const delay = backoffDelay(this.retry, attempt);
        this.metrics.handled(topic, 'retried');
        this.logger.info({ ...where, attempt, delayMs: delay, error: (error as Error).message }, 'transient handler error, retrying');
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        if (this.stopping.signal.aborted) {
          throw new StoppingError(`stopping while retrying ${topic}@${partition}:${message.offset}`, { cause: error });
        }
        await heartbeat();
      }
    }
  }
}
