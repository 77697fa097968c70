// KubeBridge script for libs/kube's integration tests (see @opzero/testing kube-bridge.ts): the
// generic object operations plus this library's primitives, run by client-node outside Jest.
// Usage: node --require @swc-node/register kube.bridge.ts <kubeconfig-file>
import { kubeObjectOperations, clientNodeFor, serveKubeBridge } from '@opzero/testing';
import { KubeSecrets, watchEndpointSlices, Workloads, type EndpointWatch, type WorkloadKind } from '../index';

interface SecretArgs {
  namespace: string;
  name: string;
  resourceVersion?: string;
  data?: Record<string, string>;
}

const text = (data: Readonly<Record<string, Buffer>>) => Object.fromEntries(Object.entries(data).map(([key, value]) => [key, value.toString('utf8')]));

async function main(): Promise<void> {
  const kubeconfigFile = process.argv[2];
  if (!kubeconfigFile) throw new Error('usage: kube.bridge.ts <kubeconfig-file>');
  const { k8s, config } = await clientNodeFor(kubeconfigFile);
  const secrets = await KubeSecrets.create(config);
  const workloads = await Workloads.create(config);
  const watches = new Map<string, { watch: EndpointWatch; seen: string[][]; reconnects: number }>();

  serveKubeBridge({
    ...kubeObjectOperations(k8s, config),
    'secrets.read': async ({ namespace, name }: SecretArgs) => {
      const secret = await secrets.read(namespace, name);
      return secret ? { resourceVersion: secret.resourceVersion, data: text(secret.data) } : null;
    },
    'secrets.create': async ({ namespace, name, data }: SecretArgs) => (await secrets.create(namespace, name, data ?? {})).resourceVersion,
    'secrets.update': async ({ namespace, name, resourceVersion, data }: SecretArgs) =>
      (await secrets.update({ namespace, name, resourceVersion: resourceVersion ?? '', data: {} }, data ?? {})).resourceVersion,
    owner: ({ namespace, pod }: { namespace: string; pod: string }) => workloads.ownerOfPod(namespace, pod),
    rolloutRestart: (workload: { kind: WorkloadKind; namespace: string; name: string }) => workloads.rolloutRestart(workload),
    'endpoints.watch': async ({ namespace, service }: { namespace: string; service: string }) => {
      const entry = { seen: [] as string[][], reconnects: 0, watch: undefined as unknown as EndpointWatch };
      entry.watch = await watchEndpointSlices(config, namespace, service, {
        onChange: (addresses) => entry.seen.push(addresses),
        onReconnect: () => entry.reconnects++,
        retryDelayMs: 500,
      });
      watches.set(`${namespace}/${service}`, entry);
      return entry.watch.addresses();
    },
    'endpoints.seen': async ({ namespace, service }: { namespace: string; service: string }) => {
      const entry = watches.get(`${namespace}/${service}`);
      return entry ? { seen: entry.seen, reconnects: entry.reconnects, current: entry.watch.addresses() } : null;
    },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
