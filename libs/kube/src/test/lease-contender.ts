// One leader-election contender as its own process, so a test can kill -9 it.
// Usage: node --require @swc-node/register lease-contender.ts <kubeconfig> <namespace> <lease> <identity> <leaseMs> <renewMs> <retryMs>
// Prints one JSON line per transition: {"event":"leading"|"stopped","identity":...,"at":<epoch ms>}.
// SIGTERM stops campaigning and releases the Lease, then exits 0.
import { clientNodeFor } from '@opzero/testing';
import { LeaderElector } from '../leader-election';

async function main(): Promise<void> {
  const [kubeconfigFile, namespace, name, identity, leaseMs, renewMs, retryMs] = process.argv.slice(2);
  if (!kubeconfigFile || !namespace || !name || !identity || !leaseMs || !renewMs || !retryMs) {
    throw new Error('usage: lease-contender.ts <kubeconfig> <namespace> <lease> <identity> <leaseMs> <renewMs> <retryMs>');
  }
  const { config } = await clientNodeFor(kubeconfigFile);
  const say = (event: string) => process.stdout.write(`${JSON.stringify({ event, identity, at: Date.now() })}\n`);
  const elector = await LeaderElector.create(config, {
    namespace,
    name,
    identity,
    leaseDurationMs: Number(leaseMs),
    renewPeriodMs: Number(renewMs),
    retryPeriodMs: Number(retryMs),
    onStartedLeading: () => say('leading'),
    onStoppedLeading: () => say('stopped'),
  });
  process.once('SIGTERM', () => {
    void elector.stop().then(() => process.exit(0));
  });
  elector.start();
  say('campaigning');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
