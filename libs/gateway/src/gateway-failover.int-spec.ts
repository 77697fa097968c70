import { parseEvent, consulServersChanged, type ServersChanged } from '@opzero/contracts';
import { auditConsulLoadMix, consulCall, runConsulLoadMix, startConsulCluster, waitFor, waitForAutopilotHealthy, type ConsulCluster, type ConsulClusterMember } from '@opzero/testing';
import type { Gateway } from './gateway';
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

describe('consul-gateway in front of a real 3-server Consul cluster', () => {
  let cluster: ConsulCluster;
  let gateway: Gateway;
  const events: ServersChanged[] = [];

  beforeAll(async () => {
    cluster = await startConsulCluster(3);
    gateway = await startTestGateway(cluster.members[0] as ConsulClusterMember, { listener: { changed: (event) => events.push(event) } });
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
    const discovered = await healthyIn(gateway, moved);
    process.stderr.write(`[gateway discovery] server on a new address: raft peer after ${joined} ms, healthy in the gateway ${discovered} ms later\n`);
    expect(gateway.servers.status().find((row) => row.id === idOf(moved))).toMatchObject({ healthy: true, node: moved.name });
    const answer = await consulCall(gateway.httpAddress, 'GET', '/v1/kv/mix/read?raw&stale');
    expect(answer).toMatchObject({ status: 200, body: 'steady' });
  }, 180_000);
});
