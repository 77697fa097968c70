import { join } from 'node:path';
import { startKubeBridge, startKubernetes, type KubeBridge, type KubernetesServer } from '@opzero/testing';

/** A real API server and a bridge that runs this library's primitives against it (outside Jest). */
export interface KubeTestCluster {
  kube: KubernetesServer;
  /** kube.bridge.ts: generic object operations plus secrets.*, owner, rolloutRestart, endpoints.*. */
  bridge: KubeBridge;
  stop(): Promise<void>;
}

/** Starts both; stop() ends the bridge and the cluster. */
export async function startKubeTestCluster(): Promise<KubeTestCluster> {
  const kube = await startKubernetes();
  const bridge = startKubeBridge(join(__dirname, 'kube.bridge.ts'), [kube.kubeconfigFile]);
  return {
    kube,
    bridge,
    async stop() {
      await bridge.close();
      await kube.stop();
    },
  };
}

/** Registers beforeAll/afterAll that start and stop one cluster for the file; call the result inside tests. */
export function useKubeTestCluster(): () => KubeTestCluster {
  let cluster: KubeTestCluster | undefined;
  beforeAll(async () => {
    cluster = await startKubeTestCluster();
  });
  afterAll(() => cluster?.stop());
  return () => {
    if (!cluster) throw new Error('the cluster did not start');
    return cluster;
  };
}
