import { parseEvent, consulServersChanged, type ServersChanged } from '@opzero/contracts';
import { auditConsulLoadMix, CONSUL_HTTP_PORT_META, consulCall, runConsulLoadMix, startConsulCluster, waitFor, waitForAutopilotHealthy, type ConsulCluster, type ConsulClusterMember } from '@opzero/testing';
import type { Gateway } from './gateway';
import type { UpstreamServer } from './upstream-server';
import { startTestGateway } from './test/start-test-gateway';

const idOf = (member: ConsulClusterMember) => `127.0.0.1:${member.httpPort}`;

/** Waits until the gateway sees `member` healthy; returns how long it took. */
async function healthyIn(gateway: Gateway, member: ConsulClusterMember, timeoutMs = 90_000): Promise<number> {
  const started = Date.now();
  await waitFor(`gateway sees ${member.name} healthy`, async () => (gateway.servers.status().some((row) => row.id === idOf(member) && row.healthy) ? true : undefined), { timeoutMs, intervalMs: 50 }).catch(
    // Seen once in CI (not reproduced since): say what the gateway believed, and what the catalog said, when it happens.
    async (error: Error) => {
      const catalog = await consulCall(gateway.httpAddress, 'GET', '/v1/catalog/service/consul?stale').catch((cause: Error) => cause.message);
      throw new Error(`${error.message}; gateway servers: ${JSON.stringify(gateway.servers.status())}; catalog: ${JSON.stringify(catalog)}`);
    },
  );
  return Date.now() - started;
}

interface CatalogNodeRecord {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string> | null;
  Meta: Record<string, string> | null;
}

/** The node record of `member` as `server` has it (stale read: that server's own state). */
async function catalogNode(server: ConsulClusterMember, member: ConsulClusterMember): Promise<CatalogNodeRecord> {
  const answer = await consulCall(server.address, 'GET', `/v1/catalog/node/${member.name}?stale`);
  if (answer.status !== 200) throw new Error(`catalog node ${member.name} from ${server.name}: HTTP ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { Node: CatalogNodeRecord }).Node;
}

/** Whether `server`'s catalog gives `member` its HTTP port meta (what the gateway needs on a shared host). */
async function hasPortMeta(server: ConsulClusterMember, member: ConsulClusterMember): Promise<boolean> {
  return (await catalogNode(server, member)).Meta?.[CONSUL_HTTP_PORT_META] === String(member.httpPort);
}

describe('consul-gateway in front of a real 3-server Consul cluster', () => {
  let cluster: ConsulCluster;
  let gateway: Gateway;
  const events: ServersChanged[] = [];
  /** Every answer discovery handed the gateway, in order. */
  const discoveries: (readonly UpstreamServer[])[] = [];

  beforeAll(async () => {
    cluster = await startConsulCluster(3);
    gateway = await startTestGateway(cluster.members[0] as ConsulClusterMember, { listener: { changed: (event) => events.push(event) }, discovered: (servers) => discoveries.push(servers) });
    for (const member of cluster.members) await healthyIn(gateway, member);
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('discovers every server from one seed and knows the leader', async () => {
    const leader = await cluster.leader();
    await waitFor('gateway leader', async () => (gateway.servers.leader()?.id === idOf(leader) ? true : undefined));
    expect(gateway.servers.status().filter((row) => row.healthy).map((row) => row.id).sort()).toEqual(cluster.members.map(idOf).sort());
    const last = events.at(-1) as ServersChanged;
    expect(() => parseEvent(consulServersChanged, last)).not.toThrow();
    expect(last).toMatchObject({ datacenter: 'dc1', leader: idOf(leader) });
  });

  it('keeps reads, blocking queries and writes whole through a follower kill and a leader kill', async () => {
    let endMix!: () => void;
    const mix = runConsulLoadMix(gateway.httpAddress, new Promise<void>((resolve) => (endMix = resolve)));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(3_000);

    const firstLeader = await cluster.leader();
    const follower = cluster.members.find((member) => member !== firstLeader) as ConsulClusterMember;
    await follower.kill();
    await pause(4_000);
    await follower.restart();
    const followerBack = await healthyIn(gateway, follower);

    const eventsBeforeLeaderKill = events.length;
    await firstLeader.kill();
    const killedAt = Date.now();
    await waitFor('a new leader in the gateway', async () => {
      const leader = gateway.servers.leader();
      return leader && leader.id !== idOf(firstLeader) ? leader : undefined;
    });
    const newLeaderAfter = Date.now() - killedAt;
    await pause(4_000);
    await firstLeader.restart();
    await healthyIn(gateway, firstLeader);
    await pause(2_000);
    endMix();
    const report = await mix;

    // No write applied twice (each plain key is PUT once) and every acknowledged write there.
    const { appliedTwice, lost, notAcknowledged } = await auditConsulLoadMix(gateway.httpAddress, report);
    process.stderr.write(
      `[gateway failover] reads ${report.reads} (failed ${report.failedReads.length}), catalog reads ${report.catalogReads} (failed ${report.failedCatalogReads.length}), ` +
        `longest gap between good reads ${report.longestReadGapMs} ms, blocking returns ${report.blocking.returned} (failed ${report.blocking.failed.length}), ` +
        `plain PUTs ${report.plainWrites.length} (not acknowledged ${notAcknowledged.length}: ${JSON.stringify(notAcknowledged)}), ` +
        `cas writes ${report.casWrites.acknowledged} (conflicts ${report.casWrites.conflicts}, failed ${report.casWrites.failed.length}), ` +
        `follower healthy again ${followerBack} ms after restart, new leader known ${newLeaderAfter} ms after the leader kill\n`,
    );
    expect(report.failedReads).toEqual([]);
    expect(report.failedCatalogReads).toEqual([]);
    expect(report.blocking.failed).toEqual([]);
    expect(report.casWrites.failed).toEqual([]);
    expect(appliedTwice).toEqual([]);
    expect(lost).toEqual([]);
    expect(report.reads).toBeGreaterThan(100);
    expect(report.blocking.returned).toBeGreaterThan(10);
    // The leader change was announced, naming the old leader.
    const leaderChange = events.slice(eventsBeforeLeaderKill).find((event) => event.previousLeader === idOf(firstLeader) && event.leader);
    expect(leaderChange?.leader).not.toBe(idOf(firstLeader));
  }, 180_000);

  it('keeps a known server whose node meta Consul wiped (the leader registering it again without meta)', async () => {
    // Consul's leader registers a server's node from serf without meta when it read no node
    // (handleAliveMember); racing the server's own anti-entropy sync, that registration wipes the
    // synced meta until the next full sync, 1-2 minutes later. Do to one server what that race does.
    const leader = await cluster.leader();
    // Not the seed: seeds stay in the set whatever discovery says.
    const target = cluster.members.find((member) => member !== leader && member !== cluster.members[0] && member.name !== 'consul-4' && gateway.servers.status().some((row) => row.id === idOf(member) && row.healthy));
    if (!target) throw new Error(`no healthy follower to wipe; gateway servers: ${JSON.stringify(gateway.servers.status())}`);
    const live = cluster.members.filter((member) => gateway.servers.status().some((row) => row.id === idOf(member) && row.healthy));
    const before = await catalogNode(leader, target);
    expect(before.Meta?.[CONSUL_HTTP_PORT_META]).toBe(String(target.httpPort));
    const register = (record: object) => consulCall(leader.address, 'PUT', '/v1/catalog/register', JSON.stringify(record));
    const everyCatalogWiped = async () => (await Promise.all(live.map((server) => hasPortMeta(server, target)))).every((has) => !has);
    try {
      // The server's own anti-entropy may put the meta back at any time (a full sync runs when a
      // server joins, and every 1-2 minutes): wipe again until two discovery answers came from a
      // catalog without the meta on every server before and after them.
      let answers: (readonly UpstreamServer[])[] = [];
      for (let wipe = 1; answers.length === 0; wipe++) {
        if (wipe > 10) throw new Error(`Consul put ${target.name}'s meta back before two discovery rounds, 10 times`);
        expect((await register({ ID: before.ID, Node: before.Node, Address: before.Address, Datacenter: before.Datacenter })).status).toBe(200);
        const wiped = await waitFor(`every catalog without ${target.name}'s meta`, async () => ((await everyCatalogWiped()) ? true : undefined), { timeoutMs: 20_000 }).catch(() => false);
        if (!wiped) continue;
        const answersBefore = discoveries.length;
        await waitFor('two discovery rounds on the wiped catalog', async () => (discoveries.length >= answersBefore + 2 ? true : undefined), { timeoutMs: 60_000 });
        if (await everyCatalogWiped()) answers = discoveries.slice(answersBefore);
      }
      for (const answer of answers) expect(answer.map((server) => server.id)).toContain(idOf(target));
      expect(gateway.servers.status().find((row) => row.id === idOf(target))).toMatchObject({ healthy: true });
    } finally {
      // What the server's next anti-entropy sync would do.
      await register({ ID: before.ID, Node: before.Node, Address: before.Address, Datacenter: before.Datacenter, TaggedAddresses: before.TaggedAddresses, NodeMeta: before.Meta });
    }
  }, 180_000);

  it('finds a server that came back on a different address through discovery', async () => {
    // The previous drill restarted two servers: move one only once raft is whole again (every
    // server a healthy voter), as an operator would, so the move cannot cost the quorum.
    await waitForAutopilotHealthy(cluster);
    const leader = await cluster.leader();
    const gone = cluster.members.find((member) => member !== leader && member.name !== 'consul-4') as ConsulClusterMember;
    await gone.kill();
    const started = Date.now();
    const moved = await cluster.addServer();
    const joined = Date.now() - started;
    // On one host the catalog's node meta is the only place that tells the new server's HTTP port,
    // and Consul adds it when the server's anti-entropy syncs; a leader registration racing that
    // sync wipes it until the next full sync (1-2 minutes). Wait for Consul first (bounded by that
    // period), then hold the gateway to its own discovery and check intervals.
    const metaStarted = Date.now();
    await waitFor(`catalog lists ${moved.name} with its port meta`, async () => ((await hasPortMeta(leader, moved)) ? true : undefined), { timeoutMs: 240_000, intervalMs: 200 });
    const metaAfter = Date.now() - metaStarted;
    const discovered = await healthyIn(gateway, moved, 60_000);
    process.stderr.write(`[gateway discovery] server on a new address: raft peer after ${joined} ms, port meta in the catalog ${metaAfter} ms later, healthy in the gateway ${discovered} ms after that\n`);
    expect(gateway.servers.status().find((row) => row.id === idOf(moved))).toMatchObject({ healthy: true, node: moved.name });
    const answer = await consulCall(gateway.httpAddress, 'GET', '/v1/kv/mix/read?raw&stale');
    expect(answer).toMatchObject({ status: 200, body: 'steady' });
  }, 480_000);
});
