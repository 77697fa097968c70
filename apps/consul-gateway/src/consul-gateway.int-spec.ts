// consul-gateway as a process in front of a real 3-server Consul cluster, with real Kafka:
// ready once it knows the leader, announces leader changes on consul.servers-changed.v1,
// exposes the leader in /metrics, never logs the ACL token, stays flat over 100,000 requests,
// and refuses a bad environment with exit status 78.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createKafka, EventConsumer } from '@opzero/bus';
import { consulServersChanged, type ServersChanged } from '@opzero/contracts';
import {
  CONSUL_DNS_PORT_META,
  CONSUL_HTTP_PORT_META,
  freePorts,
  requestJson,
  spawnApp,
  startConsulCluster,
  startKafka,
  waitFor,
  type AppProcess,
  type ConsulCluster,
  type ConsulClusterMember,
  type KafkaServer,
} from '@opzero/testing';

let kafka: KafkaServer;
let cluster: ConsulCluster;
let consumer: EventConsumer;
let app: AppProcess;
let proxy: string;
let admin: string;
const seen: ServersChanged[] = [];
const TOKEN = `never-log-me-${randomUUID()}`;
const idOf = (member: ConsulClusterMember) => `127.0.0.1:${member.httpPort}`;

beforeAll(async () => {
  [kafka, cluster] = await Promise.all([startKafka(), startConsulCluster(3)]);
  consumer = new EventConsumer(createKafka({ brokers: kafka.brokers, clientId: 'gateway-test' }), { groupId: `gateway-test-${randomUUID()}` });
  consumer.on(consulServersChanged, async (event) => void seen.push(event));
  await consumer.start();
  const [port, listenPort, dnsPort] = (await freePorts(3)) as [number, number, number];
  const seed = cluster.members[0] as ConsulClusterMember;
  app = spawnApp('consul-gateway', {
    CONSUL_GATEWAY_HOST: '127.0.0.1',
    CONSUL_GATEWAY_PORT: String(port),
    CONSUL_GATEWAY_LISTEN_HOST: '127.0.0.1',
    CONSUL_GATEWAY_LISTEN_PORT: String(listenPort),
    CONSUL_GATEWAY_DNS_PORT: String(dnsPort),
    CONSUL_GATEWAY_SEEDS: idOf(seed),
    CONSUL_GATEWAY_SERVER_DNS_PORT: String(seed.dnsPort),
    CONSUL_GATEWAY_HTTP_PORT_META: CONSUL_HTTP_PORT_META,
    CONSUL_GATEWAY_DNS_PORT_META: CONSUL_DNS_PORT_META,
    CONSUL_GATEWAY_KAFKA_BROKERS: kafka.brokers.join(','),
    CONSUL_GATEWAY_TOKEN: TOKEN,
    CONSUL_GATEWAY_LOG_LEVEL: 'trace',
  });
  proxy = `http://127.0.0.1:${listenPort}`;
  admin = `http://127.0.0.1:${port}`;
  await waitFor('gateway /readyz', async () => ((await requestJson('GET', `${admin}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 90_000 });
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await consumer?.stop();
  await Promise.all([kafka?.stop(), cluster?.stop()]);
});

const metrics = async () => (await requestJson('GET', `${admin}/metrics`)).text;
const leaderLine = (member: ConsulClusterMember) => new RegExp(`opzero_consul_gateway_server_leader\\{[^}]*server="${idOf(member)}"[^}]*\\} 1`);

it('knows every server and the leader, shows the leader in /metrics and announces the set on Kafka', async () => {
  const leader = await cluster.leader();
  await waitFor('event with all three healthy', async () => (seen.some((event) => event.leader === idOf(leader) && event.servers.filter((server) => server.healthy).length === 3) ? true : undefined), { timeoutMs: 60_000 });
  expect(await metrics()).toMatch(leaderLine(leader));
});

it('announces a new leader after the leader is killed, naming the previous one', async () => {
  const old = await cluster.leader();
  const before = seen.length;
  await old.kill();
  const event = await waitFor('leader change event', async () => seen.find((candidate) => candidate.previousLeader === idOf(old) && candidate.leader && candidate.leader !== idOf(old)), { timeoutMs: 60_000 });
  expect(seen.slice(before).some((candidate) => candidate.removed.includes(idOf(old)))).toBe(true);
  expect(event.servers.find((server) => server.address === idOf(old))).toMatchObject({ healthy: false, leader: false });
  await old.restart();
  const now = await cluster.leader();
  await waitFor('metrics show the new leader', async () => (leaderLine(now).test(await metrics()) ? true : undefined), { timeoutMs: 30_000 });
}, 120_000);

/** VmRSS (KiB) and open descriptors of the gateway process. */
const footprint = () => {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.pid}/status`, 'utf8'))?.[1]);
  return { rssMiB: rss / 1024, fds: readdirSync(`/proc/${app.pid}/fd`).length };
};

it('serves 100,000 requests with a flat descriptor count, and never logs the token', async () => {
  await waitFor('readyz after the kill', async () => ((await requestJson('GET', `${admin}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${proxy}${path}`, { agent, headers: { 'X-Consul-Token': TOKEN } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  expect(await get(`/v1/kv/hot?token=${TOKEN}`)).toBe(404);
  const run = async (count: number) => {
    let failures = 0;
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next++ < count) if ((await get('/v1/status/leader')) !== 200) failures++;
    }));
    return failures;
  };
  expect(await run(5_000)).toBe(0); // warm-up: pools and JIT settle
  const before = footprint();
  expect(await run(50_000)).toBe(0);
  const half = footprint();
  expect(await run(50_000)).toBe(0);
  const after = footprint();
  agent.destroy();
  // RSS at the half-way mark too: a leak keeps growing, a heap settling does not.
  process.stderr.write(
    `[consul-gateway leak check] 100,000 requests: RSS ${before.rssMiB.toFixed(1)} -> ${half.rssMiB.toFixed(1)} (50,000) -> ${after.rssMiB.toFixed(1)} MiB, open fds ${before.fds} -> ${half.fds} -> ${after.fds}\n`,
  );
  expect(after.fds).toBeLessThanOrEqual(before.fds + 8);
  expect(app.output()).not.toContain(TOKEN);
}, 600_000);

it('exits 78 naming CONSUL_GATEWAY_SEEDS when it is not a server list', async () => {
  const bad = spawnApp('consul-gateway', { CONSUL_GATEWAY_SEEDS: 'consul-1:http', CONSUL_GATEWAY_KAFKA_BROKERS: kafka.brokers.join(',') });
  expect(await bad.exited).toBe(78);
  const report = JSON.parse(bad.output().trim().split('\n').at(-1) as string) as { problems: string[] };
  expect(report.problems).toEqual(['CONSUL_GATEWAY_SEEDS="consul-1:http": seed "consul-1:http": port must be 1-65535']);
});
