import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APP_CONFIG_SHAPES } from './app-config-shapes';
import { APP_CHARTS, chartSchema, type AppChart } from './chart-schemas';
import { withValuesTable } from './values-table';

/** deploy/helm, where the charts live. */
export const HELM_DIR = join(__dirname, '../../deploy/helm');

/** The app's own default of each config.* key (camelCase), from its zod config shape; keys without a default are left out. */
export function appConfigDefaults(chart: AppChart): Record<string, unknown> {
  const shape = APP_CONFIG_SHAPES[chart.app];
  if (!shape) throw new Error(`no config shape recorded for app ${chart.app}`);
  const defaults: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(undefined);
    const key = name.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    if (parsed.success && parsed.data !== undefined) defaults[key] = parsed.data;
  }
  return defaults;
}

/** The generated files of every app chart as they should be: path under deploy/helm -> text. */
export function renderChartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of APP_CHARTS) {
    const schema = chartSchema(chart);
    files.set(`${chart.app}/values.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
    const values: unknown = parse(readFileSync(join(HELM_DIR, chart.app, 'values.yaml'), 'utf8'));
    const readme = readFileSync(join(HELM_DIR, chart.app, 'README.md'), 'utf8');
    files.set(`${chart.app}/README.md`, withValuesTable(readme, schema, values, chart.envPrefix, new Set(Object.keys(appConfigDefaults(chart)))));
  }
  return files;
}
