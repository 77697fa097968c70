// Every app, as a real process: starts with a real Kafka, answers /healthz, /readyz and
// /metrics, stops gracefully on SIGTERM, and refuses a bad environment naming the variable.
import { freePort, freePorts, localCertificateFiles, requestJson, spawnApp, startConsul, startKafka, waitFor, type ConsulServer, type KafkaServer } from '@opzero/testing';

// The injector serves HTTPS (admission webhooks must) and does not let Kafka gate readiness:
// it buffers its events, and a not-ready webhook would admit pods without the agent.
const apps = [
  { app: 'injector', prefix: 'INJECTOR', https: true, readyChecks: {} },
  { app: 'agent-renderer', prefix: 'AGENT_RENDERER', https: false, readyChecks: { kafka: true } },
  { app: 'unseal-keeper', prefix: 'UNSEAL_KEEPER', https: false, readyChecks: { kafka: true } },
  { app: 'vm-config-collector', prefix: 'VM_CONFIG_COLLECTOR', https: false, readyChecks: { kafka: true } },
  // The gateway buffers its events too; it is ready once it knows the Consul leader.
  { app: 'consul-gateway', prefix: 'CONSUL_GATEWAY', https: false, readyChecks: { 'consul-leader': true } },
] as const;

let kafka: KafkaServer;
// consul-gateway needs a Consul server to front (its seed) before it is ready.
let consul: ConsulServer;
let tls: { ca: string; env: (prefix: string) => Record<string, string> };

beforeAll(async () => {
  [kafka, consul] = await Promise.all([startKafka(), startConsul()]);
  const { ca, certFile, keyFile } = await localCertificateFiles();
  tls = { ca, env: (prefix) => ({ [`${prefix}_TLS_CERT_FILE`]: certFile, [`${prefix}_TLS_KEY_FILE`]: keyFile }) };
}, 120_000);
afterAll(() => Promise.all([kafka?.stop(), consul?.stop()]));

describe.each(apps)('app $app', ({ app, prefix, https, readyChecks }) => {
  it('serves health, readiness and metrics; stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const running = spawnApp(app, {
      ...(app === 'consul-gateway' ? await gatewayEnv() : {}),
      [`${prefix}_PORT`]: String(port),
      [`${prefix}_HOST`]: '127.0.0.1',
      [`${prefix}_KAFKA_BROKERS`]: kafka.brokers.join(','),
      ...(https ? tls.env(prefix) : {}),
    });
    const base = `${https ? 'https' : 'http'}://127.0.0.1:${port}`;
    const get = (path: string) => requestJson('GET', `${base}${path}`, { ca: tls.ca });
    try {
      await waitFor(`${app} /healthz`, async () => ((await get('/healthz')).status === 200 ? true : undefined), { timeoutMs: 30_000 });
      const ready = await waitFor(`${app} /readyz`, async () => {
        const response = await get('/readyz');
        return response.status === 200 ? response.body : undefined;
      });
      expect(ready).toEqual({ status: 'ready', checks: readyChecks });
      expect((await get('/metrics')).text).toContain(`opzero_process_cpu_user_seconds_total{app="${app}"}`);

      expect(await running.stop()).toBe(0);
      const lines = running.output().trim().split('\n');
      // Every line is JSON (no stray console output), and the bus was drained.
      expect(lines.every((line) => line.startsWith('{'))).toBe(true);
      expect(running.output()).toContain('"msg":"bus stopped"');
    } finally {
      await running.kill();
    }
  }, 90_000);

  it('refuses to start on an invalid variable and names it', async () => {
    const running = spawnApp(app, { [`${prefix}_PORT`]: 'eighty', [`${prefix}_KAFKA_BROKERS`]: 'no-port' });
    expect(await running.exited).toBe(78);
    expect(running.output()).toContain(`${prefix}_PORT=\\"eighty\\"`);
    expect(running.output()).toContain(`${prefix}_KAFKA_BROKERS=\\"no-port\\": each broker must be host:port`);
  }, 30_000);
});

/** The gateway in front of the test's Consul, on free ports of 127.0.0.1 (DNS forwarding is tested in libs/gateway). */
async function gatewayEnv(): Promise<Record<string, string>> {
  const [listenPort] = await freePorts(1);
  return {
    CONSUL_GATEWAY_SEEDS: new URL(consul.address).host,
    CONSUL_GATEWAY_LISTEN_HOST: '127.0.0.1',
    CONSUL_GATEWAY_LISTEN_PORT: String(listenPort),
    CONSUL_GATEWAY_DNS_ENABLED: 'false',
  };
}
