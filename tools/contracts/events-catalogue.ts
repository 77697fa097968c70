import { contracts, exampleEvents, toKafkaMessage, type Contract, type Topic } from '@opzero/contracts';
import { DlqHeaders } from '@opzero/bus';

/** What the schema cannot say about a topic: the key in words, delivery and de-duplication. */
interface TopicNotes {
  key: string;
  delivery: string;
  dedupe: string;
  /** The example's `ce_id` when the producer derives it from the payload. */
  exampleId?: (event: never) => string;
}

const byEnvelopeId = 'by the envelope id (`ce_id`): a re-delivery or a producer retry carries the same id.';
const viaBuffer =
  'published through a bounded in-memory buffer (BufferedPublisher) so the request path never waits for Kafka: sent in order, retried with backoff while Kafka is away; when the buffer is full the oldest event is dropped and counted, so this topic is best effort during a long Kafka outage.';

const notes: Record<Topic, TopicNotes> = {
  'vault.pod-created.v1': {
    key: '`<namespace>/<podName>`, or `<namespace>/<generateName>` when the name is not known yet at admission',
    delivery: `Once per admitted mutation; ${viaBuffer}`,
    dedupe: `${byEnvelopeId} \`admissionUid\` identifies the admission request.`,
  },
  'vault.secret-rotated.v1': {
    key: '`path` (the Vault path), so versions of one path arrive in order',
    delivery:
      'Once per new KV v2 version seen by the leading agent-renderer replica; a version written while no replica led is still emitted once when a leader takes over.',
    exampleId: (event: { path: string; version: number }) => `${event.path}@${event.version}`,
    dedupe:
      'by `path` + `version`. The envelope id is deterministic for this topic, `<path>@<version>`, so an emission repeated after a crash or a leader change carries the same `ce_id`; `kind: dynamic` events (in the schema, not emitted by agent-renderer yet) de-duplicate by `path` + `leaseId`.',
  },
  'vault.sealed.v1': {
    key: '`node` (the Vault API address), so one node\'s sealed / unsealed / unseal-failed events stay ordered within each topic',
    delivery: 'When unseal-keeper observes the node sealed; queued in order and retried until Kafka accepts it.',
    dedupe: byEnvelopeId,
  },
  'vault.unsealed.v1': {
    key: '`node`',
    delivery: 'After unseal-keeper unsealed the node; queued in order and retried until Kafka accepts it.',
    dedupe: byEnvelopeId,
  },
  'vault.unseal-failed.v1': {
    key: '`node`',
    delivery: 'After each failed unseal attempt (`attempt` counts them); queued in order and retried until Kafka accepts it.',
    dedupe: `${byEnvelopeId} \`node\` + \`attempt\` also identifies a failure within one sealed episode.`,
  },
  'vmconfig.collected.v1': {
    key: '`node` (the VM name)',
    delivery: "When a VM's facts in Consul KV changed (a new complete manifest), once per change seen by the collector's watch.",
    dedupe: `${byEnvelopeId} \`node\` + \`modifyIndex\` identifies a fact version; an older modifyIndex than one already handled is stale.`,
  },
  'consul.servers-changed.v1': {
    key: '`datacenter`',
    delivery: `When the healthy Consul server set or the leader changed; ${viaBuffer}`,
    dedupe: `${byEnvelopeId} Each event carries the full server set, so the latest one per datacenter is the state.`,
  },
};

/** Fixed envelope attributes, so the committed example does not change on every render. */
const exampleEnvelope = { id: '7d3c6a52-0f4e-4b8a-9a51-3f2f1c0e9b10', time: new Date('2026-11-28T10:00:00.000Z') };

function topicSection(contract: Contract): string {
  const note = notes[contract.topic];
  const example = exampleEvents[contract.topic] as never;
  const id = note.exampleId?.(example) ?? exampleEnvelope.id;
  const message = toKafkaMessage(contract, example, { ...exampleEnvelope, id });
  return [
    `## \`${contract.topic}\``,
    '',
    contract.description,
    '',
    `- **Producer:** \`${contract.producer}\` (CloudEvents source \`/opzero/${contract.producer}\`, type \`${contract.type}\`)`,
    `- **Key:** ${note.key}.`,
    `- **When:** ${note.delivery}`,
    '- **Ordering:** per key (one partition per key); none across keys or topics.',
    `- **De-duplication:** ${note.dedupe}`,
    `- **Dead letters:** \`${contract.topic}.dlq\`.`,
    `- **Schema:** [\`${contract.topic}.schema.json\`](./${contract.topic}.schema.json)`,
    '',
    'Example record (generated from `libs/contracts/src/examples.ts`):',
    '',
    '```text',
    `key: ${message.key}`,
    ...Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`),
    '```',
    '',
    '```json',
    JSON.stringify(JSON.parse(message.value.toString()), null, 2),
    '```',
  ].join('\n');
}

const dlqHeaderDocs: Record<keyof typeof DlqHeaders, string> = {
  reason: '`invalid` (envelope or payload failed validation) or `failed` (the handler failed for good)',
  error: 'the error message, at most 4096 characters',
  topic: 'the original topic',
  partition: 'the original partition',
  offset: 'the original offset',
  attempts: 'handler attempts made (0 for `invalid`)',
  at: 'when it was dead-lettered (ISO 8601)',
};

/** docs/events/README.md: the catalogue of every topic in libs/contracts. */
export function renderEventsCatalogue(): string {
  const all = Object.values(contracts);
  const header = `<!-- Generated by tools/contracts/write-events-readme.ts from libs/contracts; do not edit by hand. -->

# opzero events

Every event opzero publishes to Kafka, for teams that consume them. Each topic has a JSON Schema
(draft 2020-12) next to this file; TypeScript consumers can use \`@opzero/contracts\` instead.
Working consumers: [\`examples/typescript\`](../../examples/typescript/consumer.ts) (kafkajs +
\`@opzero/contracts\`) and [\`examples/python\`](../../examples/python/consumer.py) (kafka-python +
jsonschema over these files); \`tools/examples/event-consumers.int-spec.ts\` runs both against a
real broker.

| Topic | Producer | Key | Schema |
| --- | --- | --- | --- |
${all.map((c) => `| \`${c.topic}\` | ${c.producer} | ${notes[c.topic].key.split(',')[0]} | [schema](./${c.topic}.schema.json) |`).join('\n')}

## Envelope

Every record is a CloudEvents 1.0 event in Kafka binary mode: the payload is the JSON value
(\`content-type: application/json\`), the attributes are headers, the Kafka key is the
contract key (the binding's partition key).

| Header | Value |
| --- | --- |
| \`ce_specversion\` | \`1.0\` |
| \`ce_id\` | a UUID per event; the de-duplication id unless the topic says otherwise |
| \`ce_source\` | \`/opzero/<producer app>\` |
| \`ce_type\` | \`io.opzero.<topic>\`, versioned like the topic |
| \`ce_time\` | when the event was published (ISO 8601, UTC) |
| \`content-type\` | \`application/json\` |

Payloads carry identifiers, never secret values, tokens or unseal shares.

## Delivery guarantees

- **Producers** (libs/bus \`EventProducer\`) validate every payload against its schema before
  sending, use an idempotent producer with \`acks=all\` and one request in flight, so a retried
  send is not written twice and records of one key keep their order.
- **Consumers** get **at-least-once** delivery: opzero's own consumers commit an offset only
  after the handler succeeded or the record reached the dead-letter topic, so a crash or a
  rebalance re-delivers. **Every consumer must de-duplicate** (rule per topic below) and should
  commit only after handling.
- **Ordering** holds per key within a topic (same key, same partition), never across topics.
- Topics are created with 3 partitions by the producing service; new consumer groups should
  start from the earliest offset.

## Retries and dead letters

opzero's consumers (libs/bus \`EventConsumer\`) retry a handler error marked transient in
place, keeping order: by default 5 attempts in total, exponential backoff with full jitter from 200 ms up
to 10 s. A record that fails envelope or schema validation, a non-transient error, or one still
failing after the retries is written unchanged (key, value, \`ce_*\` headers) to
\`<topic>.dlq\`, with these headers added, and the consumer moves on:

| Header | Value |
| --- | --- |
${(Object.keys(DlqHeaders) as (keyof typeof DlqHeaders)[]).map((name) => `| \`${DlqHeaders[name]}\` | ${dlqHeaderDocs[name]} |`).join('\n')}

Other teams' consumers should do the same with records they cannot handle rather than block a
partition (their own DLQ topic, or at least a log and a metric).

## Versioning

A topic name ends in \`.vN\`. A compatible change (only annotations, or a new optional property
inside an object that allows additional properties) keeps the topic; anything else is a new
topic \`.vN+1\`, published beside the old one until its consumers moved. Incompatible means any
of: a property removed or renamed; a required property made optional or an optional one
required; a new required property; a new property where the object has
\`additionalProperties: false\` (every object here, so adding a field needs a new version); a
type, enum, \`const\`, bound (min/max, length, items), \`pattern\` or \`format\` changed in either
direction (old records must still validate under the new schema, new records under the old
schema consumers downloaded); \`additionalProperties\` tightened or loosened.
\`tools/contracts/released-schemas.spec.ts\` fails when a schema here is incompatible with its
released snapshot in \`tools/contracts/released/\`; \`tools/contracts/release-schemas.ts\` pins
new and compatibly changed schemas.
`;
  return `${header}\n${all.map(topicSection).join('\n\n')}\n`;
}
