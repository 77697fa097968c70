// Writes one JSON Schema per event into docs/events/ (npm run contracts:schemas).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventSchemas } from './event-schemas';

const dir = join(__dirname, '../../docs/events');
mkdirSync(dir, { recursive: true });
for (const stale of readdirSync(dir).filter((name) => name.endsWith('.schema.json'))) rmSync(join(dir, stale));
for (const [name, text] of renderEventSchemas()) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote docs/events/${name}`);
}
