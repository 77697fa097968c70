// Writes each app chart's values.schema.json and the values table of its README (npm run helm:docs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_DIR, renderChartFiles } from './chart-files';

for (const [path, text] of renderChartFiles()) {
  writeFileSync(join(HELM_DIR, path), text);
  console.log(`wrote deploy/helm/${path}`);
}
