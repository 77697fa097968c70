import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventSchemas } from './event-schemas';

const dir = join(__dirname, '../../docs/events');

describe('docs/events JSON Schemas', () => {
  const rendered = renderEventSchemas();

  it('has exactly one committed file per contract', () => {
    const committed = readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort();
    expect(committed).toEqual([...rendered.keys()].sort());
  });

  it.each([...rendered.entries()])('%s matches the zod schema (run npm run contracts:schemas)', (name, text) => {
    expect(readFileSync(join(dir, name), 'utf8')).toBe(text);
  });
});
