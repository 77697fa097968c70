import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where tools/infra/setup.sh caches what it fetched and built. */
export const opzeroCache = (): string => process.env['OPZERO_CACHE'] ?? join(homedir(), '.cache', 'opzero');

let loaded = false;

/**
 * Loads the container-engine settings that tools/infra/setup.sh wrote (DOCKER_HOST of the
 * podman socket, local image names...) into process.env, without overriding what the caller
 * already set. Must run before testcontainers reads its environment, so every starter calls it.
 */
export function loadTestingEnv(): void {
  if (loaded) return;
  loaded = true;
  const file = join(opzeroCache(), 'testing.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1] as string] === undefined) process.env[match[1] as string] = match[2];
  }
}

/** The image for a server: the local build's (from setup.sh), an override, or the official one. */
export function imageFor(variable: string, official: string): string {
  loadTestingEnv();
  return process.env[variable] ?? official;
}
