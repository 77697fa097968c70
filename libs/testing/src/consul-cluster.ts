import { GenericContainer, Wait } from 'testcontainers';
import { consulAvailability } from './consul';
import { freePorts } from './ports';
import { imageFor, loadTestingEnv } from './runtime-env';
import { announce, containerControls, type RealServer } from './server';
import { waitFor } from './wait-for';

/** One server of a ConsulCluster, with its own ports on 127.0.0.1. */
export interface ConsulClusterMember extends RealServer {
  /** Consul node name (`consul-1`...). */
  readonly name: string;
  /** HTTP API, `http://127.0.0.1:<port>`. */
  readonly address: string;
  readonly httpPort: number;
  readonly dnsPort: number;
  /** Raft/RPC address as Consul reports it in `/v1/status/leader` and `/v1/status/peers`. */
  readonly rpcAddress: string;
  readonly serfLanPort: number;
}

/** A real multi-server Consul datacenter (raft quorum) on 127.0.0.1, one container per server. */
export interface ConsulCluster {
  readonly datacenter: string;
  /** Every server started so far, including killed ones and ones added by `addServer`. */
  readonly members: readonly ConsulClusterMember[];
  /** The current leader member (asks a live server); throws when none is known. */
  leader(): Promise<ConsulClusterMember>;
  /**
   * Starts one more server on fresh ports that joins the cluster: a server pod that came back
   * on a new address. Resolves once it is a raft peer.
   */
  addServer(): Promise<ConsulClusterMember>;
  /** Stops and removes every server. */
  stop(): Promise<void>;
}

/**
 * Node meta keys each server carries so a client can derive its HTTP and DNS ports from the
 * catalog: on 127.0.0.1 every server shares one IP, so the IP alone cannot tell them apart
 * (in Kubernetes every pod uses the default ports and the IP is enough).
 */
export const CONSUL_HTTP_PORT_META = 'http-port';
export const CONSUL_DNS_PORT_META = 'dns-port';

const OFFICIAL_IMAGE = 'hashicorp/consul:1.16.3';
const DATACENTER = 'dc1';

interface Ports {
  http: number;
  dns: number;
  server: number;
  serfLan: number;
  serfWan: number;
}

async function readJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function startMember(image: string, name: string, ports: Ports, joinPorts: number[], bootstrapExpect: number): Promise<ConsulClusterMember> {
  const startedAt = Date.now();
  const address = `http://127.0.0.1:${ports.http}`;
  const rpcAddress = `127.0.0.1:${ports.server}`;
  const container = await new GenericContainer(image)
    .withNetworkMode('host')
    .withCommand([
      'agent',
      '-server',
      `-bootstrap-expect=${bootstrapExpect}`,
      `-node=${name}`,
      `-datacenter=${DATACENTER}`,
      '-data-dir=/tmp/consul-data',
      '-client=127.0.0.1',
      '-bind=127.0.0.1',
      `-http-port=${ports.http}`,
      `-dns-port=${ports.dns}`,
      `-server-port=${ports.server}`,
      `-serf-lan-port=${ports.serfLan}`,
      `-serf-wan-port=${ports.serfWan}`,
      '-grpc-port=-1',
      '-grpc-tls-port=-1',
      `-node-meta=${CONSUL_HTTP_PORT_META}:${ports.http}`,
      `-node-meta=${CONSUL_DNS_PORT_META}:${ports.dns}`,
      // Production timing (Consul recommends raft_multiplier 1 for servers with a dedicated core).
      '-hcl=performance { raft_multiplier = 1 }',
      '-log-level=warn',
      // Servers start in any order under load: retry joining every second, not every 30 s.
      '-retry-interval=1s',
      ...joinPorts.map((port) => `-retry-join=127.0.0.1:${port}`),
    ])
    .withWaitStrategy(Wait.forLogMessage(/Log data will now stream in/))
    .withStartupTimeout(60_000)
    .start();
  // After a restart the server is ready once it follows a leader again and is a raft peer.
  const whenReady = async () => {
    await waitFor(`Consul ${name} in the raft configuration with a leader`, async () => {
      const [leader, peers] = await Promise.all([
        readJson<string>(`${address}/v1/status/leader`),
        readJson<string[]>(`${address}/v1/status/peers`),
      ]);
      return leader && peers.includes(rpcAddress) ? true : undefined;
    });
  };
  const controls = containerControls(container, whenReady);
  announce(`Consul server ${name}`, image, address, startedAt);
  return {
    description: `Consul server ${name}`,
    image,
    name,
    address,
    httpPort: ports.http,
    dnsPort: ports.dns,
    rpcAddress,
    serfLanPort: ports.serfLan,
    ...controls,
  };
}

/** Ports for `count` servers, all distinct (one freePorts call, so no two servers share one). */
async function freshPorts(count: number): Promise<Ports[]> {
  const all = await freePorts(5 * count);
  return Array.from({ length: count }, (_, i) => {
    const [http, dns, server, serfLan, serfWan] = all.slice(5 * i, 5 * i + 5) as [number, number, number, number, number];
    return { http, dns, server, serfLan, serfWan };
  });
}

/**
 * A real Consul datacenter of `size` servers (default 3) on 127.0.0.1, every server with
 * distinct ports and its own container (host networking), started together with
 * `bootstrap_expect`; resolves once a leader is elected and every server is a raft peer.
 */
export async function startConsulCluster(size = 3): Promise<ConsulCluster> {
  loadTestingEnv();
  const availability = consulAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const image = imageFor('OPZERO_CONSUL_IMAGE', OFFICIAL_IMAGE);
  const ports = await freshPorts(size);
  const started = await Promise.allSettled(
    ports.map((own, i) =>
      startMember(
        image,
        `consul-${i + 1}`,
        own,
        ports.filter((_, j) => j !== i).map((other) => other.serfLan),
        size,
      ),
    ),
  );
  const members: ConsulClusterMember[] = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(members.map((member) => member.stop()));
    throw failed.reason;
  }

  const live = async (): Promise<ConsulClusterMember> => {
    for (const member of members) {
      try {
        await readJson<string>(`${member.address}/v1/status/leader`);
        return member;
      } catch {
        // try the next one
      }
    }
    throw new Error('no Consul server of the cluster answers');
  };
  const leader = async (): Promise<ConsulClusterMember> => {
    const rpc = await readJson<string>(`${(await live()).address}/v1/status/leader`);
    const found = members.find((member) => member.rpcAddress === rpc);
    if (!found) throw new Error(`no known leader (status/leader answered ${JSON.stringify(rpc)})`);
    return found;
  };
  const everyPeer = async (expected: ConsulClusterMember[]) =>
    waitFor(
      `raft peers ${expected.map((member) => member.name).join(', ')} with a leader`,
      async () => {
        const peers = await readJson<string[]>(`${(await live()).address}/v1/status/peers`);
        const ready = expected.every((member) => peers.includes(member.rpcAddress));
        return ready ? leader() : undefined;
      },
      { timeoutMs: 90_000 },
    );
  try {
    await everyPeer(members);
  } catch (error) {
    await Promise.all(members.map((member) => member.stop()));
    throw error;
  }

  return {
    datacenter: DATACENTER,
    members,
    leader,
    async addServer() {
      const joinPorts = members.map((member) => member.serfLanPort);
      const [own] = (await freshPorts(1)) as [Ports];
      const member = await startMember(image, `consul-${members.length + 1}`, own, joinPorts, size);
      members.push(member);
      await everyPeer([member]);
      return member;
    },
    async stop() {
      await Promise.all(members.map((member) => member.stop()));
    },
  };
}

/**
 * Waits until autopilot reports raft whole (every server a healthy voter): after kills and
 * restarts, the moment an operator may move another server without risking the quorum.
 */
export async function waitForAutopilotHealthy(cluster: ConsulCluster, timeoutMs = 120_000): Promise<void> {
  await waitFor('autopilot healthy', async () => {
    const response = await fetch(`${(await cluster.leader()).address}/v1/operator/autopilot/health`, { signal: AbortSignal.timeout(5_000) });
    return response.status === 200 && ((await response.json()) as { Healthy?: boolean }).Healthy === true ? true : undefined;
  }, { timeoutMs });
}
