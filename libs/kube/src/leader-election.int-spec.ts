import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '@opzero/testing';
import { useKubeTestCluster } from './test/cluster';

jest.setTimeout(120_000);

const LEASE_MS = 6_000;
const RENEW_MS = 2_000;
// A follower notices expiry up to one retry late and acts up to one retry later: 2 x 500 ms stays
// inside the renew period the takeover bound allows beyond the lease duration.
const RETRY_MS = 500;

interface Transition {
  event: 'campaigning' | 'leading' | 'stopped';
  identity: string;
  at: number;
}

/** A contender process (test/lease-contender.ts) and the transitions it printed. */
function contender(kubeconfigFile: string, identity: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', '@swc-node/register', join(__dirname, 'test/lease-contender.ts'), kubeconfigFile, 'default', 'opzero-leader', identity, String(LEASE_MS), String(RENEW_MS), String(RETRY_MS)],
    { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const transitions: Transition[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => transitions.push(JSON.parse(line) as Transition));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { identity, child, transitions, exited, leads: () => transitions.filter((t) => t.event === 'leading').length };
}

interface Lease {
  spec: { holderIdentity?: string; leaseTransitions?: number };
}

describe('LeaderElector on a real Lease', () => {
  const cluster = useKubeTestCluster();
  let contenders: ReturnType<typeof contender>[] = [];
  afterEach(() => contenders.forEach((c) => c.child.kill('SIGKILL')));

  const lease = () => cluster().bridge.call<Lease>('read', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'opzero-leader', namespace: 'default' } });

  it('one of two contenders leads; after kill -9 the other leads within lease duration + renew period', async () => {
    contenders = [contender(cluster().kube.kubeconfigFile, 'pod-a'), contender(cluster().kube.kubeconfigFile, 'pod-b')];
    const leader = await waitFor('a leader', async () => contenders.find((c) => c.leads() > 0));
    const follower = contenders.find((c) => c !== leader)!;
    expect((await lease()).spec.holderIdentity).toBe(leader.identity);
    // Several renew periods pass: the leader keeps the Lease and the follower does not lead.
    await new Promise((resolve) => setTimeout(resolve, 3 * RENEW_MS));
    expect(follower.leads()).toBe(0);
    expect((await lease()).spec.holderIdentity).toBe(leader.identity);

    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    await leader.exited;
    const took = await waitFor('the follower to lead', async () => follower.transitions.find((t) => t.event === 'leading'), { timeoutMs: 30_000 });
    process.stderr.write(`[lease] takeover ${took.at - killedAt} ms after kill -9 (bound: lease ${LEASE_MS} + renew ${RENEW_MS} ms)\n`);
    expect(took.at - killedAt).toBeLessThanOrEqual(LEASE_MS + RENEW_MS);
    expect((await lease()).spec).toMatchObject({ holderIdentity: follower.identity, leaseTransitions: 1 });
  });

  it('a leader stopped gracefully releases the Lease, so the other takes over before it would expire', async () => {
    // The previous test's contenders are dead; the survivor's claim stays until it expires.
    expect(['pod-a', 'pod-b']).toContain((await lease()).spec.holderIdentity);
    contenders = [contender(cluster().kube.kubeconfigFile, 'pod-c')];
    const [next] = contenders;
    // pod-c waits for the dead pod-b's claim to expire, then leads; then pod-d joins and pod-c stops.
    await waitFor('pod-c to lead', async () => (next!.leads() > 0 ? true : undefined), { timeoutMs: 30_000 });
    const successor = contender(cluster().kube.kubeconfigFile, 'pod-d');
    contenders.push(successor);
    await waitFor('pod-d to campaign', async () => (successor.transitions.length > 0 ? true : undefined));
    const stoppedAt = Date.now();
    next!.child.kill('SIGTERM');
    expect(await next!.exited).toBe(0);
    const took = await waitFor('pod-d to lead', async () => successor.transitions.find((t) => t.event === 'leading'), { timeoutMs: 30_000 });
    process.stderr.write(`[lease] takeover ${took.at - stoppedAt} ms after a graceful release\n`);
    expect(took.at - stoppedAt).toBeLessThan(LEASE_MS);
    expect((await lease()).spec.holderIdentity).toBe('pod-d');
  });
});
