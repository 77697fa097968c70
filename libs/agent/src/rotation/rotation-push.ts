import type { AutoAuth } from '../auth/auto-auth';
import { ConfigFieldError } from '../config/duration';
import type { AgentLogger } from '../log/agent-logger';
import type { TemplateRenderer } from '../render/template-renderer';
import { VaultSecretSource } from '../render/vault-secret-source';
import type { VaultClient } from '../vault/vault-client';
import { RotationSubscription } from './rotation-subscription';
import { SecretVersions, VersionedSecretSource } from './secret-versions';

/** The rotation service's address (apps/agent-renderer); unset, the sidecar only polls, as Vault Agent does. */
export const ROTATION_ADDRESS_ENV = 'OPZERO_ROTATION_ADDRESS';

/** The rotation service's URL from the environment; a bad value is a bad config (exit 78). */
export function rotationAddressFrom(env: Readonly<Record<string, string | undefined>>): URL | undefined {
  const raw = env[ROTATION_ADDRESS_ENV];
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigFieldError(ROTATION_ADDRESS_ENV, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigFieldError(ROTATION_ADDRESS_ENV, 'must be an http:// or https:// URL');
  return url;
}

/** The secret source the renderer reads through and, in sidecar mode with an address, the push subscription. */
export interface RotationPush {
  source: VaultSecretSource;
  /** Starts subscribing once the first render is done; rotations re-render through `renderer`. */
  start(renderer: TemplateRenderer): void;
  stop(): Promise<void>;
}

/** Wires the sidecar to the rotation service when `OPZERO_ROTATION_ADDRESS` is set (sidecar mode only). */
export function createRotationPush(
  env: Readonly<Record<string, string | undefined>>,
  sidecar: boolean,
  parts: { client: VaultClient; autoAuth: AutoAuth | undefined; log: AgentLogger },
): RotationPush {
  const address = sidecar ? rotationAddressFrom(env) : undefined;
  const staticToken = env['VAULT_TOKEN'];
  if (!address) {
    const source = new VaultSecretSource(parts.client, parts.autoAuth, staticToken);
    return { source, start: () => undefined, stop: async () => undefined };
  }
  const versions = new SecretVersions();
  const source = new VersionedSecretSource(parts.client, parts.autoAuth, staticToken, versions);
  let subscription: RotationSubscription | undefined;
  return {
    source,
    start(renderer) {
      subscription = new RotationSubscription({
        address,
        token: async () => (parts.autoAuth ? parts.autoAuth.ensureToken() : staticToken),
        versions,
        onRotated: (paths) => renderer.refreshPaths(paths),
        log: parts.log,
      });
      subscription.start();
    },
    stop: async () => subscription?.stop(),
  };
}
