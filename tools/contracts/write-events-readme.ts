// Writes docs/events/README.md, the topic catalogue (node --require @swc-node/register tools/contracts/write-events-readme.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventsCatalogue } from './events-catalogue';

writeFileSync(join(__dirname, '../../docs/events/README.md'), renderEventsCatalogue());
console.log('wrote docs/events/README.md');
