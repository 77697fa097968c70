// Every app, as a real process: starts with a real Kafka, answers /healthz, /readyz and
// /metrics, stops gracefully on SIGTERM, and refuses a bad environment naming the variable.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, startKafka, waitFor, type KafkaServer } from '@opzero/testing';

const root = join(__dirname, '../..');
const apps = [
  ['injector', 'INJECTOR'],
  ['agent-renderer', 'AGENT_RENDERER'],
  ['unseal-keeper', 'UNSEAL_KEEPER'],
  ['vm-config-collector', 'VM_CONFIG_COLLECTOR'],
  ['consul-gateway', 'CONSUL_GATEWAY'],
] as const;

interface RunningApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runApp(app: string, env: Record<string, string>): RunningApp {
  const child = spawn(process.execPath, ['--require', '@swc-node/register', join(root, 'apps', app, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

let kafka: KafkaServer;

beforeAll(async () => {
  kafka = await startKafka();
}, 120_000);
afterAll(() => kafka?.stop());

describe.each(apps)('app %s', (app, prefix) => {
  it('serves health, readiness once Kafka is connected, and metrics; stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const running = runApp(app, {
      [`${prefix}_PORT`]: String(port),
      [`${prefix}_HOST`]: '127.0.0.1',
      [`${prefix}_KAFKA_BROKERS`]: kafka.brokers.join(','),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(`${app} /healthz`, async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), { timeoutMs: 30_000 });
      const ready = await waitFor(`${app} /readyz`, async () => {
        const response = await fetch(`${base}/readyz`);
        return response.ok ? await response.json() : undefined;
      });
      expect(ready).toEqual({ status: 'ready', checks: { kafka: true } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(`opzero_process_cpu_user_seconds_total{app="${app}"}`);

      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      const lines = running.output().trim().split('\n');
      // Every line is JSON (no stray console output), and the bus was drained.
      expect(lines.every((line) => line.startsWith('{'))).toBe(true);
      expect(running.output()).toContain('"msg":"bus stopped"');
    } finally {
      running.child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses to start on an invalid variable and names it', async () => {
    const running = runApp(app, { [`${prefix}_PORT`]: 'eighty', [`${prefix}_KAFKA_BROKERS`]: 'no-port' });
    expect(await running.exited).toBe(78);
    expect(running.output()).toContain(`${prefix}_PORT=\\"eighty\\"`);
    expect(running.output()).toContain(`${prefix}_KAFKA_BROKERS=\\"no-port\\": each broker must be host:port`);
  }, 30_000);
});
