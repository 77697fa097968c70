import { spawnApp, type AppProcess } from './app-process';
import { requestJson } from './https-client';
import { waitFor } from './wait-for';

/**
 * Starts apps/agent-renderer from source on 127.0.0.1:`port` with `settings` (names without the
 * AGENT_RENDERER_ prefix; HOST, PORT and LOG_LEVEL=info are set) and `env` as is (KUBECONFIG),
 * and waits for /healthz; a start that fails throws with the app's output.
 */
export async function startAgentRenderer(port: number, settings: Record<string, string>, env: Record<string, string> = {}): Promise<AppProcess> {
  const prefixed = Object.fromEntries(Object.entries({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...settings }).map(([name, value]) => [`AGENT_RENDERER_${name}`, value]));
  const app = spawnApp('agent-renderer', { ...env, ...prefixed });
  await waitFor('agent-renderer healthy', async () => ((await requestJson('GET', `http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 120_000 }).catch(
    (error: Error) => {
      throw new Error(`${error.message}; its output:\n${app.output().slice(-3000)}`);
    },
  );
  return app;
}
