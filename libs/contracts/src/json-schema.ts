import { z } from 'zod';
import type { Contract } from './contract';

/**
 * The JSON Schema (draft 2020-12) of a contract's payload, with the topic, CloudEvents type and
 * key rule in the header, for consumers in other languages.
 */
export function contractJsonSchema(contract: Contract): Record<string, unknown> {
  const schema = z.toJSONSchema(contract.schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: schema['$schema'],
    $id: `https://opzero.io/events/${contract.topic}.json`,
    title: contract.topic,
    description: contract.description,
    'x-opzero-topic': contract.topic,
    'x-opzero-dlq-topic': `${contract.topic}.dlq`,
    'x-cloudevents-type': contract.type,
    'x-opzero-producer': contract.producer,
    ...Object.fromEntries(Object.entries(schema).filter(([name]) => name !== '$schema')),
  };
}
