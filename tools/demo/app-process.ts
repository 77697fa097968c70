import { freePorts, requestJson, spawnApp, waitFor, type AppProcess } from '@opzero/testing';

/** The five apps, in the order the demo starts them. */
export const APPS = ['injector', 'agent-renderer', 'unseal-keeper', 'vm-config-collector', 'consul-gateway'] as const;

/** A demo app: its process plus the address it serves. */
export interface DemoApp {
  app: string;
  baseUrl: string;
  process: AppProcess;
}

/** What an app needs from its surroundings to become ready on 127.0.0.1. */
export interface AppSurroundings {
  brokers: string[];
  /** The injector's serving certificate (it serves HTTPS only). */
  tls?: { certFile: string; keyFile: string };
  /** consul-gateway: the Consul server it fronts (host:port) and the port it proxies on. */
  consulSeed?: string;
  gatewayApiPort?: number;
}

/** The environment that starts `app` on 127.0.0.1:port against the given surroundings. */
export function appEnv(app: string, port: number, around: AppSurroundings, logLevel = 'warn'): Record<string, string> {
  const prefix = app.toUpperCase().replace(/-/g, '_');
  return {
    [`${prefix}_HOST`]: '127.0.0.1',
    [`${prefix}_PORT`]: String(port),
    [`${prefix}_KAFKA_BROKERS`]: around.brokers.join(','),
    [`${prefix}_LOG_LEVEL`]: logLevel,
    ...(app === 'injector' && around.tls ? { INJECTOR_TLS_CERT_FILE: around.tls.certFile, INJECTOR_TLS_KEY_FILE: around.tls.keyFile } : {}),
    ...(app === 'consul-gateway' && around.consulSeed
      ? {
          CONSUL_GATEWAY_SEEDS: around.consulSeed,
          CONSUL_GATEWAY_LISTEN_HOST: '127.0.0.1',
          CONSUL_GATEWAY_LISTEN_PORT: String(around.gatewayApiPort),
          CONSUL_GATEWAY_DNS_ENABLED: 'false',
        }
      : {}),
  };
}

/**
 * Starts an app on 127.0.0.1:port (HTTPS when `ca` is given) and waits until /readyz is 200;
 * `bundle` runs its production build (dist/apps/<app>/main.js) instead of the sources.
 */
export async function startDemoApp(app: string, port: number, env: Record<string, string>, ca?: string, bundle?: string): Promise<DemoApp> {
  const baseUrl = `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
  const running = spawnApp(app, env, { bundle });
  // A process that dies while starting (a bad setting, a taken port) fails at once, not at the timeout.
  let ready = false;
  const died = running.exited.then((status) => {
    if (!ready) throw new Error(`exited with status ${status} before it was ready`);
  });
  died.catch(() => undefined);
  try {
    const probe = async () => ((await requestJson('GET', `${baseUrl}/readyz`, ca ? { ca } : {})).status === 200 ? true : undefined);
    await Promise.race([waitFor(`${app} ready`, probe, { timeoutMs: 120_000 }), died]);
    ready = true;
  } catch (error) {
    await running.kill();
    throw new Error(`${app} never became ready: ${String(error)}\n${running.output().slice(-2000)}`);
  }
  return { app, baseUrl, process: running };
}

/**
 * Runs `start` on a free port, again on another one (up to 3 times) when the port was taken
 * between choosing it and binding it (EADDRINUSE: other processes start on this machine too).
 */
export async function startOnFreePort<T>(app: string, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const [port] = await freePorts(1);
    try {
      return await start(port as number);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
      console.log(`  ${app}: port ${port} was taken before it bound it; another port`);
    }
  }
}
