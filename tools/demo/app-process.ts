import { requestJson, spawnApp, waitFor, type AppProcess } from '@opzero/testing';

/** A demo app: its process plus the address it serves. */
export interface DemoApp {
  app: string;
  baseUrl: string;
  process: AppProcess;
}

/** Starts an app on 127.0.0.1:port (HTTPS when `ca` is given) and waits until /readyz is 200. */
export async function startDemoApp(app: string, port: number, env: Record<string, string>, ca?: string): Promise<DemoApp> {
  const baseUrl = `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
  const running = spawnApp(app, env);
  await waitFor(`${app} ready`, async () => ((await requestJson('GET', `${baseUrl}/readyz`, ca ? { ca } : {})).status === 200 ? true : undefined), {
    timeoutMs: 60_000,
  });
  return { app, baseUrl, process: running };
}
