// helm install, upgrade and uninstall of every chart into a real API server (startKubernetes:
// kube-apiserver + kube-controller-manager over etcd). The API server validates every object
// server-side; pods stay Pending (no kubelet), which is all a chart install needs.
import { KubeBridgeError, startKubernetes, waitFor, type KubernetesServer } from '@opzero/testing';
import { APP_CHARTS, type AppChart } from './chart-schemas';
import { ciValues, Helm } from './helm-cli';
import { containerEnv, parseManifests, type RenderedObject } from './rendered';

jest.setTimeout(180_000);

let kube: KubernetesServer;
let helm: Helm;
let charts: string;

beforeAll(async () => {
  helm = Helm.create();
  [kube, charts] = await Promise.all([startKubernetes(), helm.chartsWithDependencies(APP_CHARTS.map((chart) => chart.app))]);
});
afterAll(async () => {
  await kube?.stop();
  helm?.dispose();
});

type Header = Pick<RenderedObject, 'apiVersion' | 'kind'> & { metadata: { name: string; namespace?: string } };
const header = (object: RenderedObject): Header => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  metadata: { name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) },
});
const read = (object: Header) => kube.client.call<RenderedObject & Record<string, unknown>>('read', object);
const absent = async (object: Header) => {
  try {
    await read(object);
    return false;
  } catch (error) {
    if (error instanceof KubeBridgeError && error.code === 404) return true;
    throw error;
  }
};
const helmIn = (namespace: string, ...args: string[]) => helm.ok([...args, '--namespace', namespace], kube.kubeconfigFile);
const manifest = async (release: string, namespace: string) => parseManifests(await helmIn(namespace, 'get', 'manifest', release));
const at = <T>(object: unknown, ...path: (string | number)[]): T =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], object) as T;

/** Values an install and an upgrade set for each chart, and what the upgrade must have changed on the server. */
const SCENARIOS: Record<string, { install: string[]; upgrade: string[]; changed: (release: string, namespace: string) => Promise<void> }> = {
  injector: {
    install: [],
    upgrade: ['--set', 'webhook.timeoutSeconds=5', '--set', 'webhook.excludeNamespaces={quiet}'],
    changed: async (release) => {
      const configuration = await read({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: release } });
      expect(at(configuration, 'webhooks', 0, 'timeoutSeconds')).toBe(5);
      expect(at(configuration, 'webhooks', 0, 'namespaceSelector', 'matchExpressions', 0, 'values')).toContain('quiet');
      // What the injector wrote in auto TLS mode survives the upgrade.
      expect(at(configuration, 'webhooks', 0, 'clientConfig', 'caBundle')).toBe(Buffer.from('written by the injector').toString('base64'));
    },
  },
  'agent-renderer': {
    install: [],
    upgrade: ['--set', 'rbac.watchNamespaces={default}'],
    changed: async (release) => {
      const name = `${release}-workloads`;
      expect(await absent({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name } })).toBe(true);
      expect(await read({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'default' } })).toBeDefined();
    },
  },
  'unseal-keeper': {
    install: [],
    upgrade: ['--set', 'rbac.leaseName=keeper-leader'],
    changed: async (release, namespace) => {
      const role = await read({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${release}-lease`, namespace } });
      expect(at(role, 'rules', 1, 'resourceNames')).toEqual(['keeper-leader']);
      // The shares the keeper stored are untouched by the upgrade.
      const secret = await read({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${release}-keys`, namespace } });
      expect(at(secret, 'data', 'shares')).toBe(Buffer.from('encrypted shares').toString('base64'));
    },
  },
  'vm-config-collector': { install: [], upgrade: [], changed: async () => undefined },
  'consul-gateway': {
    install: ['--set', 'service.type=NodePort', '--set', 'service.apiNodePort=30850', '--set', 'config.kubeService=default/consul-server'],
    upgrade: ['--set', 'service.type=LoadBalancer', '--set', 'service.loadBalancerIP=10.0.0.53'],
    changed: async (release, namespace) => {
      const service = await read({ apiVersion: 'v1', kind: 'Service', metadata: { name: release, namespace } });
      expect(at(service, 'spec', 'type')).toBe('LoadBalancer');
      expect(at(service, 'spec', 'loadBalancerIP')).toBe('10.0.0.53');
      expect(at(service, 'spec', 'ports', 1, 'nodePort')).toBe(30850);
    },
  },
};

/** One question to the API server's authorizer: may the app's ServiceAccount do this? */
interface Access {
  verb: string;
  group: string;
  resource: string;
  name?: string;
  /** Default: the release namespace; '' asks cluster-wide. */
  namespace?: string;
  allowed: boolean;
}

/** What each app's RBAC must allow, and the neighbouring rights it must not have. */
function accessOf(app: string, release: string): Access[] {
  const lease = { group: 'coordination.k8s.io', resource: 'leases' };
  switch (app) {
    case 'injector': {
      const webhooks = { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', namespace: '' };
      return [
        { verb: 'patch', ...webhooks, name: release, allowed: true },
        { verb: 'get', ...webhooks, name: release, allowed: true },
        { verb: 'patch', ...webhooks, name: 'someone-elses', allowed: false },
        { verb: 'list', ...webhooks, allowed: false },
        { verb: 'get', group: '', resource: 'secrets', name: 'anything', allowed: false },
      ];
    }
    case 'agent-renderer':
      return [
        { verb: 'watch', group: '', resource: 'pods', namespace: '', allowed: true },
        { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default', allowed: true },
        { verb: 'patch', group: 'apps', resource: 'statefulsets', namespace: 'default', allowed: true },
        { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'default', allowed: false },
        { verb: 'list', group: '', resource: 'secrets', namespace: 'default', allowed: false },
        { verb: 'update', ...lease, name: release, allowed: true },
        { verb: 'update', ...lease, name: 'someone-elses', allowed: false },
        { verb: 'update', group: '', resource: 'secrets', name: `${release}-state`, allowed: true },
        { verb: 'get', group: '', resource: 'secrets', name: 'someone-elses', allowed: false },
      ];
    case 'unseal-keeper':
      return [
        { verb: 'get', group: '', resource: 'secrets', name: `${release}-keys`, allowed: true },
        { verb: 'update', group: '', resource: 'secrets', name: `${release}-keys`, allowed: true },
        { verb: 'get', group: '', resource: 'secrets', name: 'someone-elses', allowed: false },
        { verb: 'create', group: '', resource: 'secrets', allowed: false },
        { verb: 'list', group: '', resource: 'secrets', allowed: false },
        { verb: 'create', ...lease, allowed: true },
        { verb: 'update', ...lease, name: release, allowed: true },
        { verb: 'update', ...lease, name: 'someone-elses', allowed: false },
      ];
    case 'consul-gateway':
      return [
        { verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices', namespace: 'default', allowed: true },
        { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices', namespace: 'default', allowed: true },
        { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices', allowed: false },
        { verb: 'get', group: '', resource: 'secrets', namespace: 'default', allowed: false },
      ];
    default:
      return [
        { verb: 'get', group: '', resource: 'secrets', name: 'anything', allowed: false },
        { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices', allowed: false },
      ];
  }
}

/** The authorizer's answer (a SubjectAccessReview, as the API server decides every request). */
async function allowed(serviceAccount: string, namespace: string, access: Access): Promise<boolean> {
  const review = await kube.client.call<{ status?: { allowed?: boolean } }>('create', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${namespace}:${serviceAccount}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      resourceAttributes: {
        verb: access.verb,
        group: access.group,
        resource: access.resource,
        ...(access.name ? { name: access.name } : {}),
        namespace: access.namespace ?? namespace,
      },
    },
  });
  return review.status?.allowed === true;
}

/** What the app would write at run time, which upgrades must leave alone. */
async function actAsTheApp(chart: AppChart, release: string, namespace: string): Promise<void> {
  if (chart.app === 'injector') {
    const configuration = await read({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: release } });
    const webhooks = at<Record<string, unknown>[]>(configuration, 'webhooks');
    const caBundle = Buffer.from('written by the injector').toString('base64');
    await kube.client.call('patch', {
      ...header(configuration),
      webhooks: webhooks.map((webhook) => ({ ...webhook, clientConfig: { ...(webhook['clientConfig'] as object), caBundle } })),
    });
  }
  if (chart.app === 'unseal-keeper') {
    await kube.client.call('patch', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${release}-keys`, namespace },
      data: { shares: Buffer.from('encrypted shares').toString('base64') },
    });
  }
}

describe.each(APP_CHARTS)('chart $app on a real API server', (chart) => {
  const release = `opzero-${chart.app}`;
  const namespace = `helm-${chart.app}`;
  const scenario = SCENARIOS[chart.app]!;
  let installed: RenderedObject[] = [];

  it('helm install: every object is accepted and exists, and the controller-manager acts on the Deployment', async () => {
    await helmIn(namespace, 'install', release, `${charts}/${chart.app}`, '--create-namespace', ...ciValues(`${charts}/${chart.app}`), ...scenario.install);
    installed = await manifest(release, namespace);
    expect(installed.map((object) => object.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']));
    for (const object of installed) {
      const live = await read(header(object));
      expect(live.metadata.annotations?.['meta.helm.sh/release-name']).toBe(release);
    }
    // The controller-manager made a ReplicaSet and its pods from the Deployment: the pod
    // template passed the API server's pod validation (security context, probes, volumes).
    const replicas = at<number>(installed.find((object) => object.kind === 'Deployment'), 'spec', 'replicas');
    const pods = await waitFor(`the Deployment's ${replicas} pods`, async () => {
      const items = await kube.client.call<RenderedObject[]>('list', { apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: `app.kubernetes.io/instance=${release}` });
      return items.length === replicas ? items : undefined;
    });
    expect(pods.map((pod) => at(pod, 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'))).toEqual(pods.map(() => true));
    await actAsTheApp(chart, release, namespace);
  });

  it("its ServiceAccount may do what the app needs and no more (the API server's authorizer)", async () => {
    const answers = [];
    for (const access of accessOf(chart.app, release)) answers.push({ ...access, allowed: await allowed(release, namespace, access) });
    expect(answers).toEqual(accessOf(chart.app, release));
  });

  it('helm upgrade with changed values changes the objects on the server', async () => {
    const replicas = chart.app === 'injector' ? 1 : 3; // the injector's auto TLS mode runs one replica
    await helmIn(namespace, 'upgrade', release, `${charts}/${chart.app}`, '--reuse-values', '--set', `replicaCount=${replicas}`, '--set', 'config.logLevel=debug', ...scenario.upgrade);
    const deployment = await read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: release, namespace } });
    expect(at(deployment, 'spec', 'replicas')).toBe(replicas);
    expect(containerEnv(deployment).get(`${chart.envPrefix}_LOG_LEVEL`)).toBe('debug');
    await scenario.changed(release, namespace);
  });

  it('helm uninstall removes what it installed (the unseal-keeper key store excepted)', async () => {
    const current = await manifest(release, namespace);
    await helmIn(namespace, 'uninstall', release, '--wait');
    for (const object of current) {
      const kept = object.metadata.annotations?.['helm.sh/resource-policy'] === 'keep';
      expect(`${object.kind}/${object.metadata.name} ${(await absent(header(object))) ? 'absent' : 'present'}`).toBe(
        `${object.kind}/${object.metadata.name} ${kept ? 'present' : 'absent'}`,
      );
    }
    expect(installed.length).toBeGreaterThan(0);
  });
});

describe('server-side validation', () => {
  it('an object the schema lets through but the API server refuses fails the install, with the API server naming the field', async () => {
    const result = await helm.run(
      ['install', 'refused', `${charts}/vm-config-collector`, '--namespace', 'helm-refused', '--create-namespace', '--set-json', 'extraVolumes=[{"name":"Not_A_DNS_Label","emptyDir":{}}]'],
      kube.kubeconfigFile,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.template.spec.volumes[1].name');
  });
});
