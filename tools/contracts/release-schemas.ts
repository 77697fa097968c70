// Pins the published schemas (docs/events) as released: copies new and compatibly changed ones
// into tools/contracts/released/, and refuses (exit 1) while any change is incompatible.
//   node --require @swc-node/register tools/contracts/release-schemas.ts
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkReleasedSchemas, publishedDir, releasedDir } from './released-schemas';

const checks = checkReleasedSchemas();
const refused = checks.filter((check) => check.status === 'incompatible' || check.status === 'removed');
for (const check of refused) console.error(`${check.file}: ${check.problems.join('; ')}`);
if (refused.length > 0) {
  console.error('incompatible: publish the change as a new topic version (.vN+1) instead; nothing was released');
  process.exit(1);
}
mkdirSync(releasedDir, { recursive: true });
for (const check of checks.filter((c) => c.status === 'new' || c.status === 'compatible')) {
  copyFileSync(join(publishedDir, check.file), join(releasedDir, check.file));
  console.log(`released ${check.file} (${check.status})`);
}
