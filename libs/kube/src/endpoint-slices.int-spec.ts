import { waitFor } from '@opzero/testing';
import { useKubeTestCluster } from './test/cluster';
import { SERVICE_NAME_LABEL } from './endpoint-slices';

jest.setTimeout(120_000);

interface Seen {
  seen: string[][];
  reconnects: number;
  current: string[];
}

const slice = (addresses: string[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  // Managed by us, so the controller-manager's EndpointSlice controllers leave it alone.
  metadata: { name: 'vault-a', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'vault', 'endpointslice.kubernetes.io/managed-by': 'opzero-test' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8200, protocol: 'TCP' }],
  endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
});

describe('watchEndpointSlices on a real API server', () => {
  const cluster = useKubeTestCluster();

  it('reports addresses added and removed, and resumes after the API server restarts', async () => {
    const { bridge, kube } = cluster();
    const seen = () => bridge.call<Seen>('endpoints.seen', { namespace: 'default', service: 'vault' });
    const until = (what: string, addresses: string[]) =>
      waitFor(what, async () => ((await seen()).current.join() === addresses.join() ? seen() : undefined));

    await bridge.call('create', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'vault', namespace: 'default' }, spec: { ports: [{ port: 8200 }] } });
    await bridge.call('create', slice(['10.0.0.1']));
    expect(await bridge.call('endpoints.watch', { namespace: 'default', service: 'vault' })).toEqual(['10.0.0.1']);

    await bridge.call('patch', slice(['10.0.0.1', '10.0.0.2']));
    await until('10.0.0.2 to be added', ['10.0.0.1', '10.0.0.2']);

    await kube.restart();
    // A change made right after the restart reaches the watcher, which had to reconnect.
    await bridge.call('patch', slice(['10.0.0.2']));
    const after = await until('10.0.0.1 to be removed', ['10.0.0.2']);
    process.stderr.write(`[endpoints] the watch re-established itself ${after.reconnects} time(s) across the restart\n`);
    expect(after.seen).toEqual([['10.0.0.1'], ['10.0.0.1', '10.0.0.2'], ['10.0.0.2']]);
  });
});
