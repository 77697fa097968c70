import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contracts, dlqTopic, exampleEvents } from '@opzero/contracts';
import { DlqHeaders } from '@opzero/bus';
import { renderEventsCatalogue } from './events-catalogue';

const committed = readFileSync(join(__dirname, '../../docs/events/README.md'), 'utf8');

describe('docs/events/README.md', () => {
  it('is the rendered catalogue (run node --require @swc-node/register tools/contracts/write-events-readme.ts)', () => {
    expect(committed).toBe(renderEventsCatalogue());
  });

  it.each(Object.values(contracts).map((c) => [c.topic, c] as const))('documents %s: section, DLQ, schema link, example key', (topic, contract) => {
    expect(committed).toContain(`## \`${topic}\``);
    expect(committed).toContain(`\`${dlqTopic(topic)}\``);
    expect(committed).toContain(`(./${topic}.schema.json)`);
    expect(committed).toContain(`key: ${contract.key(exampleEvents[topic] as never)}\nce_specversion: 1.0\n`);
    expect(committed).toContain(`ce_type: io.opzero.${topic}\n`);
  });

  it('names every dead-letter header the bus writes', () => {
    for (const header of Object.values(DlqHeaders)) expect(committed).toContain(`\`${header}\``);
  });
});
