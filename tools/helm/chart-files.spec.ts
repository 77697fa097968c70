import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_DIR, renderChartFiles } from './chart-files';
import { envName } from './values-table';

describe('deploy/helm generated files', () => {
  it.each([...renderChartFiles().entries()])('%s is current (run npm run helm:docs)', (path, text) => {
    expect(readFileSync(join(HELM_DIR, path), 'utf8')).toBe(text);
  });
});

describe('envName', () => {
  it.each([
    ['logLevel', 'INJECTOR_LOG_LEVEL'],
    ['tlsAutoCaValidityHours', 'INJECTOR_TLS_AUTO_CA_VALIDITY_HOURS'],
    ['port', 'INJECTOR_PORT'],
  ])('%s -> %s', (key, name) => {
    expect(envName('INJECTOR', key)).toBe(name);
  });
});
