import { freePort, spawnApp, waitFor, type AppProcess } from '@opzero/testing';

export interface CollectorServiceSettings {
  consulAddress: string;
  kafkaBrokers: readonly string[];
  databaseUrl: string;
  apiToken: string;
}

/** The vm-config-collector service on a free loopback port, once it watches vm-config/ (its HTTP address returned). */
export async function startCollectorService(settings: CollectorServiceSettings): Promise<{ app: AppProcess; address: string }> {
  const port = await freePort();
  const app = spawnApp('vm-config-collector', {
    VM_CONFIG_COLLECTOR_PORT: String(port),
    VM_CONFIG_COLLECTOR_HOST: '127.0.0.1',
    VM_CONFIG_COLLECTOR_KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: settings.consulAddress,
    VM_CONFIG_COLLECTOR_WATCH_WAIT: '10s',
    VM_CONFIG_COLLECTOR_DATABASE_URL: settings.databaseUrl,
    VM_CONFIG_COLLECTOR_API_TOKEN: settings.apiToken,
  });
  await waitFor('the service watching', async () => (app.output().includes('watching vm-config/') ? true : undefined), { timeoutMs: 90_000 });
  return { app, address: `http://127.0.0.1:${port}` };
}
