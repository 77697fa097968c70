// The default KubeBridge script (see kube-bridge.ts): generic object operations and TokenRequest.
// Usage: node --require @swc-node/register kube-objects.bridge.ts <kubeconfig-file>
import { serveKubeBridge } from './kube-bridge-server';
import { kubeObjectOperations, clientNodeFor } from './kube-object-operations';

async function main(): Promise<void> {
  const kubeconfigFile = process.argv[2];
  if (!kubeconfigFile) throw new Error('usage: kube-objects.bridge.ts <kubeconfig-file>');
  const { k8s, config } = await clientNodeFor(kubeconfigFile);
  serveKubeBridge(kubeObjectOperations(k8s, config));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
