import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APP_CHARTS, chartSchema } from './chart-schemas';
import { withValuesTable } from './values-table';

/** deploy/helm, where the charts live. */
export const HELM_DIR = join(__dirname, '../../deploy/helm');

/** The generated files of every app chart as they should be: path under deploy/helm -> text. */
export function renderChartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of APP_CHARTS) {
    const schema = chartSchema(chart);
    files.set(`${chart.app}/values.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
    const values: unknown = parse(readFileSync(join(HELM_DIR, chart.app, 'values.yaml'), 'utf8'));
    const readme = readFileSync(join(HELM_DIR, chart.app, 'README.md'), 'utf8');
    files.set(`${chart.app}/README.md`, withValuesTable(readme, schema, values, chart.envPrefix));
  }
  return files;
}
