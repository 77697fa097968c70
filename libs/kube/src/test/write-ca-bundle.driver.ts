// Child-process driver for client-node-webhook-configurations.int-spec.ts: @kubernetes/client-node
// is ESM-only, which Jest's module loader cannot require, while plain Node 20.19+ can.
// Usage: node --require @swc-node/register write-ca-bundle.driver.ts <server-url> <configuration> <pem-file>
import { readFileSync } from 'node:fs';
import { clientNodeWebhookConfigurations, WebhookCaBundleWriter } from '../index';

async function main(): Promise<void> {
  const [server, configuration, pemFile] = process.argv.slice(2);
  if (!server || !configuration || !pemFile) throw new Error('usage: write-ca-bundle.driver.ts <server-url> <configuration> <pem-file>');
  const configurations = await clientNodeWebhookConfigurations((config) =>
    config.loadFromOptions({
      clusters: [{ name: 'stub', server, skipTLSVerify: true }],
      users: [{ name: 'stub', token: 'stub-token' }],
      contexts: [{ name: 'stub', cluster: 'stub', user: 'stub' }],
      currentContext: 'stub',
    }),
  );
  const result = await new WebhookCaBundleWriter(configurations).write(configuration, readFileSync(pemFile, 'utf8'));
  process.stdout.write(JSON.stringify(result));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
