// consul-gateway finding Consul servers through the EndpointSlices of their Service on a real
// API server, and nowhere else: its only seed is an address where nothing answers any more
// (where a server pod used to be) and catalog discovery is off. A server that moves to a new
// address shows up once its slice says so.
//
// Loopback addresses: the API server refuses 127.0.0.0/8 in IPv4/IPv6 slices (HTTP 422), so
// the slices are FQDN slices whose address is "127.0.0.1" (libs/testing loopbackEndpointSlice);
// each test server has its own HTTP port, so each has its own slice, as ports are per slice.
import {
  consulCall,
  freePorts,
  loopbackEndpointSlice,
  requestJson,
  spawnApp,
  startConsulCluster,
  startKubernetes,
  waitFor,
  waitForAutopilotHealthy,
  type AppProcess,
  type ConsulCluster,
  type ConsulClusterMember,
  type KubernetesServer,
} from '@opzero/testing';

const SERVICE = 'default/consul-server';
let kube: KubernetesServer;
let cluster: ConsulCluster;
let app: AppProcess;
let admin: string;
let proxy: string;

const idOf = (member: ConsulClusterMember) => `127.0.0.1:${member.httpPort}`;
const sliceOf = (name: string, member: ConsulClusterMember) => loopbackEndpointSlice({ name, service: SERVICE, ports: { http: member.httpPort, 'serf-lan': member.serfLanPort } });
/** The server ids the gateway reports healthy in /metrics. */
const healthyIds = async () => {
  const text = (await requestJson('GET', `${admin}/metrics`)).text;
  return [...text.matchAll(/opzero_consul_gateway_server_healthy\{[^}]*server="([^"]+)"[^}]*\} 1\b/g)].map((match) => match[1] as string).sort();
};
const untilHealthy = (what: string, ids: string[]) =>
  waitFor(what, async () => ((await healthyIds()).join() === [...ids].sort().join() ? true : undefined), { timeoutMs: 120_000, intervalMs: 100 });

beforeAll(async () => {
  [kube, cluster] = await Promise.all([startKubernetes(), startConsulCluster(3)]);
  await kube.client.call('create', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'consul-server', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8500 }] } });
  for (const [i, member] of cluster.members.entries()) await kube.client.call('create', sliceOf(`consul-server-${i}`, member));
  const [port, listenPort, oldAddress, nowhere] = (await freePorts(4)) as [number, number, number, number];
  app = spawnApp('consul-gateway', {
    KUBECONFIG: kube.kubeconfigFile,
    CONSUL_GATEWAY_HOST: '127.0.0.1',
    CONSUL_GATEWAY_PORT: String(port),
    CONSUL_GATEWAY_LISTEN_HOST: '127.0.0.1',
    CONSUL_GATEWAY_LISTEN_PORT: String(listenPort),
    CONSUL_GATEWAY_DNS_ENABLED: 'false',
    CONSUL_GATEWAY_SEEDS: `127.0.0.1:${oldAddress}`,
    CONSUL_GATEWAY_CATALOG_DISCOVERY: 'false',
    CONSUL_GATEWAY_KUBE_SERVICE: SERVICE,
    CONSUL_GATEWAY_KAFKA_BROKERS: `127.0.0.1:${nowhere}`,
    CONSUL_GATEWAY_LOG_LEVEL: 'info',
  });
  admin = `http://127.0.0.1:${port}`;
  proxy = `http://127.0.0.1:${listenPort}`;
  await waitFor('gateway /readyz', async () => ((await requestJson('GET', `${admin}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 120_000 }).catch((error: Error) => {
    throw new Error(`${error.message}; its output:\n${app.output().slice(-3000)}`);
  });
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await Promise.all([kube?.stop(), cluster?.stop()]);
});

it('finds every server from the Service EndpointSlices alone and proxies through them', async () => {
  await untilHealthy('all three servers healthy', cluster.members.map(idOf));
  expect((await consulCall(proxy, 'PUT', '/v1/kv/slices/key', 'from-slices')).body).toBe('true');
  expect(await consulCall(proxy, 'GET', '/v1/kv/slices/key?raw')).toMatchObject({ status: 200, body: 'from-slices' });
});

it('follows a server that moved to a new address when its slice changes', async () => {
  // Move a follower only once raft is whole, so the move cannot cost the quorum.
  await waitForAutopilotHealthy(cluster);
  const leader = await cluster.leader();
  const index = cluster.members.findIndex((member) => member !== leader);
  const gone = cluster.members[index] as ConsulClusterMember;
  await gone.kill();
  const moved = await cluster.addServer();
  const started = Date.now();
  // What the EndpointSlice controller does when the pod comes back elsewhere: same slice, new endpoint.
  await kube.client.call('patch', sliceOf(`consul-server-${index}`, moved));
  const expected = cluster.members.filter((member) => member !== gone).map(idOf);
  await untilHealthy('the moved server healthy and the old address gone', expected);
  process.stderr.write(`[consul-gateway endpoint slices] moved server healthy in the gateway ${Date.now() - started} ms after its slice changed\n`);
  expect(await consulCall(proxy, 'GET', '/v1/kv/slices/key?raw&stale')).toMatchObject({ status: 200, body: 'from-slices' });
}, 300_000);

