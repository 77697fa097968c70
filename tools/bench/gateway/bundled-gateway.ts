import { CONSUL_DNS_PORT_META, CONSUL_HTTP_PORT_META, freePorts } from '@opzero/testing';
import { spawn } from 'node:child_process';
import { bundleApp } from '../injector/bundle';

/** Where a bench gateway listens, and the environment that says so. */
export interface BenchGatewayEnv {
  env: Record<string, string>;
  adminPort: number;
  listenPort: number;
}

/**
 * The environment of a gateway on 127.0.0.1 (fresh ports) in front of the test cluster's
 * servers (ports from node meta), seeded with `seedHttpPort`, with `workers` processes. No
 * Kafka: events are buffered and dropped; the proxy never waits on them.
 */
export async function benchGatewayEnv(seedHttpPort: number, workers: number): Promise<BenchGatewayEnv> {
  const [adminPort, listenPort, dnsPort, nowhere] = (await freePorts(4)) as [number, number, number, number];
  const env = {
    CONSUL_GATEWAY_HOST: '127.0.0.1',
    CONSUL_GATEWAY_PORT: String(adminPort),
    CONSUL_GATEWAY_LISTEN_HOST: '127.0.0.1',
    CONSUL_GATEWAY_LISTEN_PORT: String(listenPort),
    CONSUL_GATEWAY_DNS_PORT: String(dnsPort),
    CONSUL_GATEWAY_SEEDS: `127.0.0.1:${seedHttpPort}`,
    CONSUL_GATEWAY_HTTP_PORT_META: CONSUL_HTTP_PORT_META,
    CONSUL_GATEWAY_DNS_PORT_META: CONSUL_DNS_PORT_META,
    CONSUL_GATEWAY_KAFKA_BROKERS: `127.0.0.1:${nowhere}`,
    CONSUL_GATEWAY_LOG_LEVEL: 'fatal',
    CONSUL_GATEWAY_WORKERS: String(workers),
  };
  return { env, adminPort, listenPort };
}

/** A consul-gateway process from its bundle. */
export interface BundledGateway {
  readonly pid: number;
  /** Sends SIGTERM and waits for the exit (a --cpu-prof profile is written then). */
  stop(): Promise<void>;
}

/** apps/consul-gateway bundled (or `bundle`, a main.js built earlier) and run by plain node (plus `nodeArgs`) with `env` added. */
export async function startBundledGateway(env: Record<string, string>, nodeArgs: string[] = [], bundle?: string): Promise<BundledGateway> {
  const child = spawn(process.execPath, [...nodeArgs, bundle ?? (await bundleApp('consul-gateway'))], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
