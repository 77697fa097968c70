// What each chart has beyond the shared objects: the injector's webhook and TLS modes, the
// consul-gateway's fixed address, and the RBAC of the injector, agent-renderer and
// unseal-keeper, rendered by the real helm.
import { APP_CHARTS } from './chart-schemas';
import { ciValues, Helm } from './helm-cli';
import { containerEnv, objectOf, parseManifests, type RenderedObject } from './rendered';

let helm: Helm;
let charts: string;

beforeAll(async () => {
  helm = Helm.create();
  charts = await helm.chartsWithDependencies(APP_CHARTS.map((chart) => chart.app));
});
afterAll(() => helm?.dispose());

const template = async (app: string, ...args: string[]) =>
  parseManifests(await helm.ok(['template', 'opzero', `${charts}/${app}`, '--namespace', 'platform', ...ciValues(`${charts}/${app}`), ...args]));
const refusal = async (app: string, ...args: string[]) => {
  const result = await helm.run(['template', 'opzero', `${charts}/${app}`, '--namespace', 'platform', ...ciValues(`${charts}/${app}`), ...args]);
  expect(result.code).not.toBe(0);
  return result.stderr;
};
type Rule = { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] };
const rules = (role: RenderedObject) => (role as unknown as { rules: Rule[] }).rules;
const field = <T>(object: RenderedObject, ...path: string[]): T => path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], object) as T;

describe('injector chart', () => {
  type Webhook = {
    failurePolicy: string;
    timeoutSeconds: number;
    clientConfig: { service: { name: string; namespace: string; path: string; port: number }; caBundle?: string };
    namespaceSelector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
    objectSelector?: unknown;
  };
  const webhookOf = (objects: RenderedObject[]) => field<Webhook[]>(objectOf(objects, 'MutatingWebhookConfiguration'), 'webhooks')[0] as Webhook;

  it('auto TLS: the webhook calls the Service, skips its own namespace and kube-system, and the RBAC names only it', async () => {
    const objects = await template('injector');
    const configuration = objectOf(objects, 'MutatingWebhookConfiguration', 'opzero-injector');
    const webhook = webhookOf(objects);
    expect(webhook.failurePolicy).toBe('Ignore');
    expect(webhook.timeoutSeconds).toBe(10);
    expect(webhook.clientConfig).toEqual({ service: { name: 'opzero-injector', namespace: 'platform', path: '/mutate', port: 443 } });
    expect(webhook.namespaceSelector.matchExpressions[0]).toEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['platform', 'kube-system'] });
    expect(webhook.objectSelector).toBeUndefined();
    expect(rules(objectOf(objects, 'ClusterRole'))).toEqual([
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: [configuration.metadata.name], verbs: ['get', 'patch'] },
    ]);
    expect(field(objectOf(objects, 'ClusterRoleBinding'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'opzero-injector', namespace: 'platform' }]);
    const env = containerEnv(objectOf(objects, 'Deployment'));
    expect(env.get('INJECTOR_TLS_AUTO')).toBe('true');
    expect(env.get('INJECTOR_TLS_AUTO_HOSTS')).toBe('opzero-injector,opzero-injector.platform,opzero-injector.platform.svc');
    expect(env.get('INJECTOR_WEBHOOK_CONFIG_NAME')).toBe(configuration.metadata.name);
    expect(env.has('INJECTOR_TLS_CERT_FILE')).toBe(false);
  });

  it('webhook values: failurePolicy, timeout, extra excluded namespaces, objectSelector', async () => {
    const webhook = webhookOf(
      await template(
        'injector',
        ...['--set', 'webhook.failurePolicy=Fail', '--set', 'webhook.timeoutSeconds=5', '--set', 'webhook.excludeNamespaces={vault,platform}'],
        ...['--set', 'webhook.objectSelector.matchLabels.inject=yes'],
      ),
    );
    expect(webhook.failurePolicy).toBe('Fail');
    expect(webhook.timeoutSeconds).toBe(5);
    expect(webhook.namespaceSelector.matchExpressions[0]?.values).toEqual(['platform', 'kube-system', 'vault']);
    expect(webhook.objectSelector).toEqual({ matchLabels: { inject: 'yes' } });
  });

  it('secret TLS: files from the Secret, caBundle from values, no RBAC', async () => {
    const objects = await template('injector', '--set', 'tls.mode=secret', '--set', 'tls.secretName=injector-tls', '--set', 'webhook.caBundle=Q0E=');
    expect(objects.some((object) => object.kind === 'ClusterRole' || object.kind === 'ClusterRoleBinding')).toBe(false);
    expect(webhookOf(objects).clientConfig.caBundle).toBe('Q0E=');
    const deployment = objectOf(objects, 'Deployment');
    const env = containerEnv(deployment);
    expect(env.get('INJECTOR_TLS_CERT_FILE')).toBe('/etc/opzero/tls/tls.crt');
    expect(env.get('INJECTOR_TLS_KEY_FILE')).toBe('/etc/opzero/tls/tls.key');
    expect(env.has('INJECTOR_TLS_AUTO')).toBe(false);
    expect(field(deployment, 'spec', 'template', 'spec', 'volumes')).toContainEqual({ name: 'tls', secret: { secretName: 'injector-tls' } });
  });

  it('refuses secret TLS without a Secret, and auto TLS with several workers, naming the value', async () => {
    expect(await refusal('injector', '--set', 'tls.mode=secret')).toContain('/tls');
    expect(await refusal('injector', '--set', 'tls.mode=secret')).toContain('secretName');
    expect(await refusal('injector', '--set', 'config.workers=2')).toContain('config.workers must be 1 when tls.mode is auto');
    expect(await refusal('injector', '--set', 'replicaCount=2')).toContain('replicaCount must be 1 when tls.mode is auto');
    expect(await template('injector', '--set', 'tls.mode=secret', '--set', 'tls.secretName=tls', '--set', 'replicaCount=3', '--set', 'config.workers=2')).toBeDefined();
    expect(await refusal('injector', '--set', 'webhook.failurePolicy=Maybe')).toContain('/webhook/failurePolicy');
    expect(await refusal('injector', '--set', 'webhook.timeoutSeconds=31')).toContain('/webhook/timeoutSeconds');
  });
});

describe('consul-gateway chart', () => {
  const metricsPort = { name: 'http', port: 8084, targetPort: 'http', protocol: 'TCP' };
  const dnsPorts = [
    { name: 'dns-udp', port: 53, targetPort: 'dns-udp', protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp', protocol: 'TCP' },
  ];

  it('gives the fixed address as a LoadBalancer Service with loadBalancerIP and node ports for the API and DNS', async () => {
    const objects = await template(
      'consul-gateway',
      ...['--set', 'service.type=LoadBalancer', '--set', 'service.loadBalancerIP=10.0.0.53', '--set', 'service.apiNodePort=30850', '--set', 'service.dnsNodePort=30853'],
    );
    const service = objectOf(objects, 'Service');
    expect(field(service, 'spec', 'type')).toBe('LoadBalancer');
    expect(field(service, 'spec', 'loadBalancerIP')).toBe('10.0.0.53');
    expect(field(service, 'spec', 'ports')).toEqual([
      metricsPort,
      { name: 'consul-api', port: 8500, targetPort: 'consul-api', protocol: 'TCP', nodePort: 30850 },
      ...dnsPorts.map((port) => ({ ...port, nodePort: 30853 })),
    ]);
    const ports = field<{ name: string; containerPort: number; protocol: string }[]>(objectOf(objects, 'Deployment'), 'spec', 'template', 'spec', 'containers', '0', 'ports');
    expect(ports).toEqual([
      { name: 'http', containerPort: 8084, protocol: 'TCP' },
      { name: 'consul-api', containerPort: 8500, protocol: 'TCP' },
      { name: 'dns-udp', containerPort: 8600, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 8600, protocol: 'TCP' },
    ]);
    const env = containerEnv(objectOf(objects, 'Deployment'));
    expect([env.get('CONSUL_GATEWAY_LISTEN_PORT'), env.get('CONSUL_GATEWAY_DNS_PORT'), env.get('CONSUL_GATEWAY_SEEDS')]).toEqual(['8500', '8600', 'consul-server.consul.svc:8500']);
  });

  it('leaves node ports and loadBalancerIP out of a ClusterIP Service, and DNS out when it is off', async () => {
    const service = objectOf(
      await template('consul-gateway', '--set', 'service.apiNodePort=30850', '--set', 'service.loadBalancerIP=10.0.0.53', '--set', 'config.dnsEnabled=false'),
      'Service',
    );
    expect(field(service, 'spec', 'type')).toBe('ClusterIP');
    expect(field(service, 'spec', 'loadBalancerIP')).toBeUndefined();
    expect(field(service, 'spec', 'ports')).toEqual([metricsPort, { name: 'consul-api', port: 8500, targetPort: 'consul-api', protocol: 'TCP' }]);
  });

  it('takes the ACL token from a Secret, and refuses an install without seeds naming them', async () => {
    const deployment = objectOf(await template('consul-gateway', '--set', 'secretConfig.token.secretName=consul-acl', '--set', 'secretConfig.token.key=token'), 'Deployment');
    const env = field<{ name: string; valueFrom?: unknown }[]>(deployment, 'spec', 'template', 'spec', 'containers', '0', 'env');
    expect(env.find((entry) => entry.name === 'CONSUL_GATEWAY_TOKEN')).toEqual({ name: 'CONSUL_GATEWAY_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-acl', key: 'token' } } });
    const result = await helm.run(['template', 'opzero', `${charts}/consul-gateway`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("at '/config': missing property 'seeds'");
  });

  it("reads EndpointSlices only in config.kubeService's namespace and those given", async () => {
    const both = await template('consul-gateway', '--set', 'config.kubeService=consul/consul-server', '--set', 'rbac.endpointSliceNamespaces={consul,dc2}');
    expect(both.filter((object) => object.kind === 'Role').map((role) => role.metadata.namespace)).toEqual(['consul', 'dc2']);
    expect(containerEnv(objectOf(both, 'Deployment')).get('CONSUL_GATEWAY_KUBE_SERVICE')).toBe('consul/consul-server');
    const objects = await template('consul-gateway', '--set', 'config.kubeService=consul/consul-server');
    const role = objectOf(objects, 'Role');
    expect(role.metadata.namespace).toBe('consul');
    expect(rules(role)).toEqual([{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
    expect((await template('consul-gateway')).some((object) => object.kind === 'Role')).toBe(false);
  });
});

describe('unseal-keeper chart', () => {
  it("reads EndpointSlices in config.kubernetesService's namespace: the release's for a bare name", async () => {
    const roleNamespaces = (objects: Awaited<ReturnType<typeof template>>) =>
      objects.filter((object) => object.kind === 'Role' && object.metadata.name.endsWith('-endpointslices')).map((role) => role.metadata.namespace);
    const bare = await template('unseal-keeper', '--set', 'config.kubernetesService=vault-internal');
    expect(roleNamespaces(bare)).toEqual(['platform']);
    expect(containerEnv(objectOf(bare, 'Deployment')).get('UNSEAL_KEEPER_KUBERNETES_SERVICE')).toBe('vault-internal');
    expect(roleNamespaces(await template('unseal-keeper', '--set', 'config.kubernetesService=vault/vault-internal', '--set', 'rbac.endpointSliceNamespaces={dc2}'))).toEqual(['dc2', 'vault']);
    expect(roleNamespaces(await template('unseal-keeper'))).toEqual([]);
  });
  it('limits Secret and Lease rights to its own objects by name, and keeps the key store on uninstall', async () => {
    const objects = await template('unseal-keeper');
    const secret = objectOf(objects, 'Secret', 'opzero-unseal-keeper-keys');
    expect(secret.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(secret['data']).toBeUndefined();
    expect(rules(objectOf(objects, 'Role', 'opzero-unseal-keeper-key-store'))).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['opzero-unseal-keeper-keys'], verbs: ['get', 'watch', 'update', 'patch'] },
    ]);
    expect(rules(objectOf(objects, 'Role', 'opzero-unseal-keeper-lease'))).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['opzero-unseal-keeper'], verbs: ['get', 'watch', 'update', 'patch', 'delete'] },
    ]);
  });

  it('points the keeper at the Secret and Lease its RBAC names, takes the KMS token from a Secret', async () => {
    const env = field<{ name: string; value?: string; valueFrom?: unknown }[]>(
      objectOf(await template('unseal-keeper', '--set', 'rbac.leaseName=keeper-leader'), 'Deployment'),
      ...['spec', 'template', 'spec', 'containers', '0', 'env'],
    );
    const byName = new Map(env.map((entry) => [entry.name, entry.valueFrom ?? entry.value]));
    expect(byName.get('UNSEAL_KEEPER_KEY_STORE')).toBe('kubernetes');
    expect(byName.get('UNSEAL_KEEPER_KUBERNETES_NAMESPACE')).toBe('platform');
    expect(byName.get('UNSEAL_KEEPER_KUBERNETES_SECRET_NAME')).toBe('opzero-unseal-keeper-keys');
    expect(byName.get('UNSEAL_KEEPER_LEASE_NAME')).toBe('keeper-leader');
    expect(byName.get('UNSEAL_KEEPER_LEADER_ELECTION')).toBe('true');
    expect(byName.get('UNSEAL_KEEPER_POD_NAME')).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(byName.get('UNSEAL_KEEPER_TRANSIT_TOKEN')).toEqual({ secretKeyRef: { name: 'unseal-keeper-transit', key: 'token' } });
    expect(byName.get('UNSEAL_KEEPER_KMS_PROVIDER')).toBe('transit');
  });

  it('refuses several replicas without leader election, and a KMS it does not know, naming the value', async () => {
    expect(await refusal('unseal-keeper', '--set', 'config.leaderElection=false')).toContain('config.leaderElection must be true with more than one replica');
    expect(await template('unseal-keeper', '--set', 'config.leaderElection=false', '--set', 'replicaCount=1')).toBeDefined();
    expect(await refusal('unseal-keeper', '--set', 'config.kmsProvider=vault')).toContain('/config/kmsProvider');
  });

  it('grants create on Secrets only when the keeper must create its key store', async () => {
    const objects = await template('unseal-keeper', '--set', 'keyStoreSecret.create=false', '--set', 'keyStoreSecret.name=vault-keys');
    expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
    expect(rules(objectOf(objects, 'Role', 'opzero-unseal-keeper-key-store'))).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['vault-keys'], verbs: ['get', 'watch', 'update', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ]);
  });
});

describe('agent-renderer chart', () => {
  const workloadRules = [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'patch'] },
  ];

  it('watches pods and restarts workloads cluster-wide by default', async () => {
    const objects = await template('agent-renderer', '--set', 'rbac.leaseName=renderer-leader');
    expect(rules(objectOf(objects, 'ClusterRole'))).toEqual(workloadRules);
    expect(field(objectOf(objects, 'ClusterRoleBinding'), 'roleRef')).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'opzero-agent-renderer-workloads' });
    expect(rules(objectOf(objects, 'Role', 'opzero-agent-renderer-lease'))[1]?.resourceNames).toEqual(['renderer-leader']);
  });

  it('points the rotation service at the state Secret and Lease its RBAC names', async () => {
    const objects = await template('agent-renderer', '--set', 'stateSecret.name=rotation-state');
    const env = containerEnv(objectOf(objects, 'Deployment'));
    expect([env.get('AGENT_RENDERER_STATE_SECRET_NAME'), env.get('AGENT_RENDERER_LEASE_NAME'), env.get('AGENT_RENDERER_KUBERNETES_NAMESPACE')]).toEqual([
      'rotation-state',
      'opzero-agent-renderer',
      'platform',
    ]);
    expect(rules(objectOf(objects, 'Role', 'opzero-agent-renderer-state'))).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['rotation-state'], verbs: ['get', 'watch', 'update', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ]);
    const inMemory = await template('agent-renderer', '--set', 'config.stateStore=memory');
    expect(inMemory.some((object) => object.metadata.name === 'opzero-agent-renderer-state')).toBe(false);
    expect(await refusal('agent-renderer', '--set', 'config.leaderElection=false')).toContain('config.leaderElection must be true with more than one replica');
  });

  it('with watchNamespaces, a Role in each namespace and no ClusterRole', async () => {
    const objects = await template('agent-renderer', '--set', 'rbac.watchNamespaces={team-a,team-b}');
    expect(objects.some((object) => object.kind === 'ClusterRole')).toBe(false);
    const roles = objects.filter((object) => object.kind === 'Role' && object.metadata.name === 'opzero-agent-renderer-workloads');
    expect(roles.map((role) => role.metadata.namespace)).toEqual(['team-a', 'team-b']);
    expect(roles.map(rules)).toEqual([workloadRules, workloadRules]);
    const bindings = objects.filter((object) => object.kind === 'RoleBinding' && object.metadata.name === 'opzero-agent-renderer-workloads');
    expect(bindings.map((binding) => field(binding, 'subjects'))).toEqual([
      [{ kind: 'ServiceAccount', name: 'opzero-agent-renderer', namespace: 'platform' }],
      [{ kind: 'ServiceAccount', name: 'opzero-agent-renderer', namespace: 'platform' }],
    ]);
    // The pod watch asks only for what the Roles allow.
    expect(containerEnv(objectOf(objects, 'Deployment')).get('AGENT_RENDERER_POD_WATCH_NAMESPACES')).toBe('team-a,team-b');
    expect(containerEnv(objectOf(await template('agent-renderer'), 'Deployment')).has('AGENT_RENDERER_POD_WATCH_NAMESPACES')).toBe(false);
  });
});

describe('shared objects', () => {
  it('ServiceMonitor when enabled, over HTTPS for the injector', async () => {
    const monitor = objectOf(await template('injector', '--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.labels.release=prom'), 'ServiceMonitor');
    expect(monitor.metadata.labels?.['release']).toBe('prom');
    expect(field(monitor, 'spec', 'endpoints')).toEqual([
      { port: 'https', path: '/metrics', scheme: 'https', interval: '30s', scrapeTimeout: '10s', tlsConfig: { insecureSkipVerify: true } },
    ]);
  });

  it('PodDisruptionBudget with minAvailable instead of maxUnavailable', async () => {
    const budget = objectOf(await template('vm-config-collector', '--set', 'podDisruptionBudget.minAvailable=50%'), 'PodDisruptionBudget');
    expect(field(budget, 'spec', 'minAvailable')).toBe('50%');
    expect(field(budget, 'spec', 'maxUnavailable')).toBeUndefined();
  });

  it('grace period follows the shutdown timeout', async () => {
    const deployment = objectOf(await template('vm-config-collector', '--set', 'config.shutdownTimeoutMs=42000'), 'Deployment');
    expect(field(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')).toBe(47);
  });
});
