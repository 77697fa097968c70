import { randomUUID } from 'node:crypto';
import type { Contract, EventOf } from './contract';

/** A Kafka record as the bus hands it to kafkajs: key, JSON value, `ce_*` headers. */
export interface EnvelopedMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** The CloudEvents attributes of a received message, with the still-unvalidated JSON data. */
export interface ReceivedEnvelope {
  id: string;
  type: string;
  source: string;
  time: string;
  specversion: string;
  key: string;
  data: unknown;
}

/** Raised when a message is not a binary-mode CloudEvent with JSON data. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export interface EnvelopeOptions {
  /** CloudEvents `source`; defaults to `/opzero/<producer>`. */
  source?: string;
  id?: string;
  time?: Date;
}

/**
 * Wraps a payload in a CloudEvents 1.0 envelope, Kafka protocol binding, binary mode:
 * attributes in `ce_*` headers, the payload as JSON in the value, the contract key as the
 * Kafka key (the binding's `partitionkey`). The payload is not validated here; the bus does.
 *
 * Written by hand rather than with the cloudevents SDK: the SDK built a CloudEvent object per
 * message and cost 25 us an event, half the bus's throughput budget (tools/bench/bus); the
 * binding is seven headers. envelope.spec.ts checks the SDK reads our messages as valid events.
 */
export function toKafkaMessage<C extends Contract>(
  contract: C,
  data: EventOf<C>,
  options: EnvelopeOptions = {},
): EnvelopedMessage {
  return {
    key: contract.key(data),
    value: Buffer.from(JSON.stringify(data)),
    headers: {
      ce_specversion: '1.0',
      ce_id: options.id ?? randomUUID(),
      ce_source: options.source ?? `/opzero/${contract.producer}`,
      ce_type: contract.type,
      ce_time: (options.time ?? new Date()).toISOString(),
      'content-type': 'application/json',
    },
  };
}

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Flattens kafkajs headers (Buffers, possibly repeated) into strings; the last value wins. */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

const REQUIRED_HEADERS = ['ce_id', 'ce_source', 'ce_type', 'ce_specversion'] as const;

/**
 * Reads a binary-mode CloudEvent from a Kafka record. Throws EnvelopeError naming the missing
 * header or the JSON problem; the caller validates `data` against the contract.
 */
export function fromKafkaMessage(message: {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RawHeaders;
}): ReceivedEnvelope {
  const headers = headersToStrings(message.headers);
  for (const name of REQUIRED_HEADERS) {
    if (!headers[name]) throw new EnvelopeError(`header ${name} is missing: not a binary-mode CloudEvent`);
  }
  if (headers['ce_specversion'] !== '1.0') {
    throw new EnvelopeError(`header ce_specversion: "${headers['ce_specversion']}" is not supported (expected 1.0)`);
  }
  const contentType = headers['content-type'] ?? 'application/json';
  if (!contentType.startsWith('application/json')) {
    throw new EnvelopeError(`header content-type: "${contentType}" is not application/json`);
  }
  if (message.value === null) throw new EnvelopeError('value: missing (tombstone), expected JSON event data');
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString());
  } catch (cause) {
    throw new EnvelopeError(`value: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return {
    id: headers['ce_id'] as string,
    type: headers['ce_type'] as string,
    source: headers['ce_source'] as string,
    specversion: headers['ce_specversion'] as string,
    time: headers['ce_time'] ?? '',
    key: message.key?.toString() ?? '',
    data,
  };
}
