import { schemaIncompatibilities, type JsonSchema } from './schema-compat';

/** A small event schema in the shape docs/events uses (closed top level, open nested object). */
const base = (): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'demo.thing-happened.v1',
  description: 'When a thing happened.',
  'x-opzero-topic': 'demo.thing-happened.v1',
  'x-cloudevents-type': 'io.opzero.demo.thing-happened.v1',
  type: 'object',
  properties: {
    node: { type: 'string', minLength: 1, maxLength: 253 },
    count: { type: 'integer', minimum: 0 },
    mode: { type: 'string', enum: ['init', 'sidecar'] },
    note: { type: 'string' },
    owner: { type: 'object', properties: { kind: { type: 'string' } }, required: ['kind'] },
    tags: { type: 'array', maxItems: 10, items: { type: 'string', pattern: '^[a-z]+$' } },
  },
  required: ['node', 'count', 'mode', 'owner'],
  additionalProperties: false,
});

type Mutation = (schema: JsonSchema & { properties: Record<string, JsonSchema> }) => void;
const changed = (mutate: Mutation): string[] => {
  const after = base() as JsonSchema & { properties: Record<string, JsonSchema> };
  mutate(after);
  return schemaIncompatibilities(base(), after);
};

describe('schemaIncompatibilities on crafted schema pairs', () => {
  it('finds nothing between identical schemas', () => {
    expect(schemaIncompatibilities(base(), base())).toEqual([]);
  });

  it('treats integer as a subset of number: number to integer narrows, integer to number widens', () => {
    expect(schemaIncompatibilities({ type: 'number' }, { type: 'integer' })).toEqual(['(root): type narrowed, number no longer allowed']);
    expect(schemaIncompatibilities({ type: 'integer' }, { type: 'number' })).toEqual(['(root): type widened, number now allowed']);
  });

  it.each<[string, Mutation]>([
    ['a new description and title', (s) => Object.assign(s, { title: 'Thing', description: 'Reworded.' })],
    ['a description on a property', (s) => Object.assign(s.properties['count'] as JsonSchema, { description: 'How many.' })],
    ['a new optional property inside an open nested object', (s) => Object.assign((s.properties['owner'] as { properties: JsonSchema }).properties, { name: { type: 'string' } })],
    ['a property order change', (s) => (s.properties = Object.fromEntries(Object.entries(s.properties).reverse()))],
  ])('accepts %s', (_, mutate) => {
    expect(changed(mutate)).toEqual([]);
  });

  it.each<[string, Mutation, string]>([
    ['a removed property', (s) => delete s.properties['note'], 'note: property removed (or renamed)'],
    ['a renamed property', (s) => ((s.properties['comment'] = s.properties['note'] as JsonSchema), delete s.properties['note']), 'note: property removed (or renamed)'],
    ['a new required property', (s) => ((s.properties['zone'] = { type: 'string' }), (s['required'] as string[]).push('zone')), 'zone: new required property'],
    ['an optional property made required', (s) => (s['required'] as string[]).push('note'), 'note: now required'],
    ['a required property made optional', (s) => (s['required'] = ['node', 'count', 'mode']), 'owner: no longer required'],
    ['a new optional property where additionalProperties was false', (s) => (s.properties['zone'] = { type: 'string' }), 'zone: new property, rejected by the old schema (additionalProperties: false)'],
    ['a changed type (integer to string)', (s) => (s.properties['count'] = { type: 'string' }), 'count: type narrowed, integer no longer allowed'],
    ['a widened type', (s) => (s.properties['node'] = { type: ['string', 'null'], minLength: 1, maxLength: 253 }), 'node: type widened, null now allowed'],
    ['a narrowed enum', (s) => (s.properties['mode'] = { type: 'string', enum: ['init'] }), 'mode: enum narrowed, "sidecar" removed'],
    ['a widened enum', (s) => (s.properties['mode'] = { type: 'string', enum: ['init', 'sidecar', 'both'] }), 'mode: enum widened, "both" added'],
    ['additionalProperties tightened in a nested object', (s) => ((s.properties['owner'] as JsonSchema)['additionalProperties'] = false), 'owner: additionalProperties tightened'],
    ['additionalProperties loosened at the top', (s) => delete s['additionalProperties'], '(root): additionalProperties loosened, the old schema rejects the extra properties'],
    ['a lowered maxLength', (s) => ((s.properties['node'] as JsonSchema)['maxLength'] = 63), 'node: maxLength narrowed from 253 to 63'],
    ['a raised minimum', (s) => ((s.properties['count'] as JsonSchema)['minimum'] = 1), 'count: minimum narrowed from 0 to 1'],
    ['a new pattern', (s) => ((s.properties['note'] as JsonSchema)['pattern'] = '^x'), 'note: pattern added (narrowed) from none to "^x"'],
    ['a changed pattern in array items', (s) => ((s.properties['tags'] as { items: JsonSchema }).items['pattern'] = '^[a-z0-9]+$'), 'tags[]: pattern changed from "^[a-z]+$" to "^[a-z0-9]+$"'],
    ['a raised maxItems', (s) => ((s.properties['tags'] as JsonSchema)['maxItems'] = 20), 'tags: maxItems widened from 10 to 20'],
    ['a removed property in a nested object', (s) => ((s.properties['owner'] as JsonSchema)['properties'] = {}), 'owner.kind: property removed (or renamed)'],
    ['a moved topic', (s) => (s['x-opzero-topic'] = 'demo.thing-happened.v2'), '(root): x-opzero-topic changed from demo.thing-happened.v1 to demo.thing-happened.v2'],
  ])('rejects %s', (_, mutate, problem) => {
    expect(changed(mutate)).toContain(problem);
  });
});
