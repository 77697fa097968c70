import type { z } from 'zod';
import type { Topic } from './topics';

/** The producing app of an event; also the CloudEvents `source` (`/opzero/<app>`). */
export type Producer = 'injector' | 'agent-renderer' | 'unseal-keeper' | 'vm-config-collector' | 'consul-gateway';

/**
 * Everything a producer or consumer needs to know about one event: where it goes, how it is
 * checked, how it is keyed. One object per topic, so code never pairs them by hand.
 */
export interface Contract<S extends z.ZodType = z.ZodType> {
  readonly topic: Topic;
  /** CloudEvents `type`, reverse-DNS and versioned like the topic. */
  readonly type: string;
  readonly producer: Producer;
  readonly schema: S;
  /** The Kafka message key: what must stay ordered. */
  readonly key: (event: z.infer<S>) => string;
  /** When the event is produced (for generated docs). */
  readonly description: string;
}

/** Builds a contract, deriving the CloudEvents type from the topic. */
export function defineContract<S extends z.ZodType>(contract: Omit<Contract<S>, 'type'>): Contract<S> {
  return Object.freeze({ ...contract, type: `io.opzero.${contract.topic}` });
}

/** The payload type of a contract. */
export type EventOf<C extends Contract> = z.infer<C['schema']>;
