// docker-compose.yml driven from code: `podman-compose` (installed by tools/infra/setup.sh) with
// the locally built images where the engine is podman, `docker compose` with the official images
// on a Docker host. Used by the compose test; each project has its own name, ports and volumes.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePorts, loadTestingEnv } from '@opzero/testing';

const ROOT = join(__dirname, '../..');

/** Host-port variables of docker-compose.yml, each published on 127.0.0.1. */
export const COMPOSE_PORTS = [
  'KAFKA', 'VAULT', 'CONSUL', 'INJECTOR', 'AGENT_RENDERER', 'UNSEAL_KEEPER', 'VM_CONFIG_COLLECTOR', 'CONSUL_GATEWAY', 'GATEWAY_API',
] as const;
export type ComposePort = (typeof COMPOSE_PORTS)[number];

/** One `docker compose` project: its name, the host ports it was given and its commands. */
export interface ComposeProject {
  readonly name: string;
  readonly ports: Record<ComposePort, number>;
  /** Runs `<compose> -p <name> <args>`; resolves with the exit status and output. */
  run(args: string[], timeoutMs: number): Promise<{ status: number | null; output: string }>;
  /** The container engine's CLI (podman or docker), for `ps`/`volume ls` checks. */
  readonly engine: string;
  /** The VM Config list API token the project was given (OPZERO_VM_CONFIG_API_TOKEN). */
  readonly vmConfigToken: string;
}

/** The compose command for this machine: OPZERO_PODMAN_COMPOSE under podman, else `docker compose`. */
function composeCommand(): { bin: string; args: string[]; engine: string } {
  loadTestingEnv();
  if (process.env['OPZERO_CONTAINER_ENGINE'] === 'podman') {
    const bin = process.env['OPZERO_PODMAN_COMPOSE'];
    if (!bin) throw new Error('OPZERO_PODMAN_COMPOSE is not set: run tools/infra/setup.sh (it installs podman-compose)');
    return { bin, args: [], engine: 'podman' };
  }
  return { bin: 'docker', args: ['compose'], engine: 'docker' };
}

/** The PostgreSQL image tools/images/build.sh builds under podman (Debian's package). */
const LOCAL_POSTGRES_IMAGE = 'localhost/opzero-postgres:15';

/** Image variables: under podman the local builds (testing.env and tools/images/build.sh name them), else the file's defaults. */
function imageEnv(engine: string): Record<string, string> {
  if (engine !== 'podman') return {};
  const pick = (name: string) => (process.env[name] ? { [name]: process.env[name] as string } : {});
  return {
    ...pick('OPZERO_KAFKA_IMAGE'),
    ...pick('OPZERO_VAULT_IMAGE'),
    ...pick('OPZERO_CONSUL_IMAGE'),
    OPZERO_POSTGRES_IMAGE: process.env['OPZERO_POSTGRES_IMAGE'] ?? LOCAL_POSTGRES_IMAGE,
    OPZERO_IMAGE_PREFIX: 'localhost/opzero',
  };
}

/** A compose project of docker-compose.yml with free host ports. */
export async function composeProject(name: string): Promise<ComposeProject> {
  const { bin, args: prefix, engine } = composeCommand();
  const free = await freePorts(COMPOSE_PORTS.length);
  const ports = Object.fromEntries(COMPOSE_PORTS.map((port, i) => [port, free[i]])) as Record<ComposePort, number>;
  const vmConfigToken = randomUUID();
  const env = {
    ...process.env,
    ...imageEnv(engine),
    // Not the file's local-only defaults: proves the variables reach the services.
    OPZERO_VM_CONFIG_API_TOKEN: vmConfigToken,
    OPZERO_POSTGRES_PASSWORD: randomUUID().replace(/-/g, ''),
    ...Object.fromEntries(COMPOSE_PORTS.map((port) => [`OPZERO_${port}_PORT`, String(ports[port])])),
  };
  const run = (args: string[], timeoutMs: number) => runCommand(bin, [...prefix, '-f', join(ROOT, 'docker-compose.yml'), '-p', name, ...args], timeoutMs, env);
  return { name, ports, run, engine, vmConfigToken };
}

/** Runs a command in the repository (SIGKILL after timeoutMs); resolves with its exit status and output. */
export function runCommand(bin: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}
