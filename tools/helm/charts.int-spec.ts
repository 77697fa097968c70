// helm lint, helm template and the values schema of every chart under deploy/helm, with the
// real helm binary (tools/infra/helm/build.sh). Installs into a real API server are in
// charts-install.int-spec.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@opzero/config';
import { parse } from 'yaml';
import { APP_CONFIG_SHAPES } from './app-config-shapes';
import { appConfigDefaults, HELM_DIR } from './chart-files';
import { APP_CHARTS, chartSchema } from './chart-schemas';
import { ciValues, Helm } from './helm-cli';
import { containerEnv, objectOf, parseManifests, type RenderedObject } from './rendered';

const APPS = APP_CHARTS.map((chart) => chart.app);
/** The config.* values of a chart's ci/values.yaml (what an install must give, and the tests use). */
const ciConfig = (app: string): Record<string, unknown> => {
  const file = join(HELM_DIR, app, 'ci', 'values.yaml');
  return existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> }).config ?? {}) : {};
};
let helm: Helm;
let charts: string;

beforeAll(async () => {
  helm = Helm.create();
  charts = await helm.chartsWithDependencies(APPS);
});
afterAll(() => helm?.dispose());

const template = async (app: string, ...args: string[]) =>
  parseManifests(await helm.ok(['template', app, `${charts}/${app}`, '--namespace', 'opzero', ...ciValues(`${charts}/${app}`), ...args]));
type Container = { image: string; securityContext: unknown; livenessProbe: { httpGet: unknown }; readinessProbe: { httpGet: unknown } };
type PodSpec = { securityContext: Record<string, unknown>; containers: Container[]; serviceAccountName: string };
const podSpec = (deployment: RenderedObject) => (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

it.each(['opzero-lib', ...APPS])('%s passes helm lint --strict', async (name) => {
  const result = await helm.run(['lint', '--strict', `${charts}/${name}`, ...ciValues(`${charts}/${name}`)]);
  expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  expect(result.code).toBe(0);
});

describe.each(APP_CHARTS)('chart $app', (chart) => {
  it('renders the objects every app has, hardened', async () => {
    const objects = await template(chart.app);
    const deployment = objectOf(objects, 'Deployment', chart.app);
    const spec = podSpec(deployment);
    expect(objectOf(objects, 'Service', chart.app)).toBeDefined();
    expect(objectOf(objects, 'ServiceAccount', chart.app).metadata.namespace).toBe('opzero');
    expect(objectOf(objects, 'PodDisruptionBudget', chart.app)).toBeDefined();
    expect(objects.some((object) => object.kind === 'ServiceMonitor')).toBe(false);
    expect(spec.serviceAccountName).toBe(chart.app);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const container = spec.containers[0] as Container;
    expect(container.image).toBe(`opzero/${chart.app}:0.1.0`);
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const scheme = chart.app === 'injector' ? 'HTTPS' : 'HTTP';
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: scheme.toLowerCase(), scheme });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: scheme.toLowerCase(), scheme });
  });

  it("renders only variables the app reads, which its own parser accepts, with the app's defaults", async () => {
    const shape = APP_CONFIG_SHAPES[chart.app]!;
    const deployment = objectOf(await template(chart.app), 'Deployment');
    const names = (deployment as unknown as { spec: { template: { spec: { containers: { env: { name: string }[] }[] } } } }).spec.template.spec.containers[0]!.env.map(
      (entry) => entry.name,
    );
    const known = new Set(Object.keys(shape).map((key) => `${chart.envPrefix}_${key}`));
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    const parsed = loadConfig(chart.envPrefix, shape, Object.fromEntries(containerEnv(deployment)));
    // What the chart sets on purpose: brokers (the app's 127.0.0.1 means nothing in a pod), the
    // values a user must give (ci/values.yaml), what it computes (names, namespace) and its own choices.
    const chosen = new Set([
      'kafkaBrokers',
      ...(chart.requiredConfig ?? []),
      ...Object.keys(chart.secretConfig ?? {}),
      ...(chart.computedConfig ?? []),
      ...(chart.chosenConfig ?? []),
      ...Object.keys(ciConfig(chart.app)),
    ]);
    const defaults = appConfigDefaults(chart);
    for (const [key, value] of Object.entries(defaults)) {
      if (chosen.has(key)) continue;
      const name = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
      expect({ [name]: parsed[name] }).toEqual({ [name]: value });
    }
    expect(parsed['KAFKA_BROKERS']).toEqual(['kafka:9092']);
    if (chart.app === 'injector') {
      expect({ TLS_AUTO: parsed['TLS_AUTO'], TLS_AUTO_HOSTS: parsed['TLS_AUTO_HOSTS'], WEBHOOK_CONFIG_NAME: parsed['WEBHOOK_CONFIG_NAME'] }).toEqual({
        TLS_AUTO: true,
        TLS_AUTO_HOSTS: ['injector', 'injector.opzero', 'injector.opzero.svc'],
        WEBHOOK_CONFIG_NAME: 'injector',
      });
    }
  });

  it('has a value for every variable of the app (config.*, secretConfig.*, or set by the chart)', () => {
    const covered = new Set([...Object.keys(chartSchema(chart).properties?.['config']?.properties ?? {}), ...Object.keys(chart.secretConfig ?? {})]);
    for (const key of chart.computedConfig ?? []) covered.add(key);
    const uncovered = Object.keys(APP_CONFIG_SHAPES[chart.app]!)
      .map((name) => name.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()))
      .filter((key) => !covered.has(key));
    // A variable an app gained: add its key to tools/helm/chart-schemas.ts, then npm run helm:docs.
    expect(uncovered).toEqual([]);
  });

  it('takes the image from image.repository and image.tag, and an existing ServiceAccount by name', async () => {
    const objects = await template(chart.app, '--set', 'image.repository=registry.example/opzero/x', '--set', 'image.tag=1.2.3', '--set', 'serviceAccount.create=false', '--set', 'serviceAccount.name=shared');
    const spec = podSpec(objectOf(objects, 'Deployment'));
    expect(spec.containers[0]?.image).toBe('registry.example/opzero/x:1.2.3');
    expect(spec.serviceAccountName).toBe('shared');
    expect(objects.some((object) => object.kind === 'ServiceAccount')).toBe(false);
  });

  it('maps config values and extraEnv onto the variables', async () => {
    const env = containerEnv(
      objectOf(
        await template(
          chart.app,
          ...['--set', 'config.logLevel=debug', '--set', 'config.kafkaBrokers={a:9092,b:9093}', '--set', 'config.shutdownTimeoutMs=30000'],
          ...['--set', 'extraEnv[0].name=EXTRA', '--set', 'extraEnv[0].value=1', '--set', `extraEnv[1].name=${chart.envPrefix}_HOST`],
          ...['--set', 'extraEnv[1].value=::'],
        ),
        'Deployment',
      ),
    );
    expect(env.get(`${chart.envPrefix}_LOG_LEVEL`)).toBe('debug');
    expect(env.get(`${chart.envPrefix}_KAFKA_BROKERS`)).toBe('a:9092,b:9093');
    expect(env.get(`${chart.envPrefix}_SHUTDOWN_TIMEOUT_MS`)).toBe('30000');
    expect(env.get('EXTRA')).toBe('1');
    expect(env.get(`${chart.envPrefix}_HOST`)).toBe('::');
  });

  it.each([
    [['--set', 'config.port=eighty'], '/config/port'],
    [['--set', 'replicaCount=two'], '/replicaCount'],
    [['--set', 'config.logLevel=loud'], '/config/logLevel'],
    [['--set', 'config.kafkaBrokers={kafka}'], '/config/kafkaBrokers/0'],
    [['--set', 'podSecurityContext.runAsUser=0'], '/podSecurityContext/runAsUser'],
    [['--set', 'service.type=External'], '/service/type'],
    [['--set', 'config.logLevl=debug'], "'logLevl'"],
  ])('rejects %j naming %s', async (args, named) => {
    const result = await helm.run(['template', chart.app, `${charts}/${chart.app}`, ...ciValues(`${charts}/${chart.app}`), ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(named);
  });
});

