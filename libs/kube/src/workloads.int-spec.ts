import { waitFor, type KubeBridge } from '@opzero/testing';
import { useKubeTestCluster } from './test/cluster';
import { RESTARTED_AT_ANNOTATION } from './workloads';

jest.setTimeout(120_000);

interface Meta {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  spec: { template: { metadata?: { annotations?: Record<string, string> } } };
}

const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `example/${app}:1` }] } });
const list = (bridge: KubeBridge, kind: string, app: string, apiVersion = 'apps/v1') =>
  bridge.call<Meta[]>('list', { apiVersion, kind, namespace: 'default', labelSelector: `app=${app}` });
const some = async <T>(items: Promise<T[]>, count = 1) => ((await items).length >= count ? items : undefined);

describe('Workloads on a real API server and controller-manager', () => {
  const cluster = useKubeTestCluster();

  it("finds a Deployment's pod's owner through its ReplicaSet, and a StatefulSet's directly", async () => {
    const { bridge } = cluster();
    await bridge.call('create', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template('web') } });
    await bridge.call('create', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') } });
    const [webPod] = await waitFor('the Deployment pod', () => some(list(bridge, 'Pod', 'web', 'v1')));
    const [dbPod] = await waitFor('the StatefulSet pod', () => some(list(bridge, 'Pod', 'db', 'v1')));
    expect(await bridge.call('owner', { namespace: 'default', pod: webPod!.metadata.name })).toEqual({ kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(await bridge.call('owner', { namespace: 'default', pod: dbPod!.metadata.name })).toEqual({ kind: 'StatefulSet', namespace: 'default', name: 'db' });
  });

  it('finds a DaemonSet owner, and none for a bare pod', async () => {
    const { bridge } = cluster();
    // With no nodes the DaemonSet controller creates no pods: one is created owned by it, as it would.
    const daemonSet = await bridge.call<Meta>('create', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') } });
    const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: daemonSet.metadata.uid, controller: true }];
    await bridge.call('create', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent-x', namespace: 'default', labels: { app: 'agent' }, ownerReferences }, spec: template('agent').spec });
    await bridge.call('create', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'default' }, spec: template('bare').spec });
    expect(await bridge.call('owner', { namespace: 'default', pod: 'agent-x' })).toEqual({ kind: 'DaemonSet', namespace: 'default', name: 'agent' });
    expect(await bridge.call('owner', { namespace: 'default', pod: 'bare' })).toBeNull();
  });

  it('restarts a Deployment like kubectl rollout restart: annotated template, a new ReplicaSet', async () => {
    const { bridge } = cluster();
    await bridge.call('create', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: template('api') } });
    const [before] = await waitFor('the first ReplicaSet', () => some(list(bridge, 'ReplicaSet', 'api')));

    const restartedAt = await bridge.call<string>('rolloutRestart', { kind: 'Deployment', namespace: 'default', name: 'api' });
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const deployment = await bridge.call<Meta>('read', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'default' } });
    expect(deployment.spec.template.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]).toBe(restartedAt);

    const replicaSets = await waitFor('a second ReplicaSet', () => some(list(bridge, 'ReplicaSet', 'api'), 2));
    const created = replicaSets.find((replicaSet) => replicaSet.metadata.name !== before!.metadata.name)!;
    expect(created.spec.template.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]).toBe(restartedAt);
    expect(before!.spec.template.metadata?.annotations?.[RESTARTED_AT_ANNOTATION]).toBeUndefined();
  });
});
