import type { AutoAuth } from '../auth/auto-auth';
import { VaultSecretSource } from '../render/vault-secret-source';
import type { VaultClient } from '../vault/vault-client';

/**
 * The KV v2 version each secret path was last read at, taken from the read's own
 * `data.metadata.version`: what the sidecar tells the rotation service it has rendered.
 */
export class SecretVersions {
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  /** Records a read's version; a path seen for the first time wakes `onNewPath` listeners. */
  record(path: string, version: number): void {
    const known = this.versions.get(path);
    if (known !== undefined && known >= version) return;
    this.versions.set(path, version);
    if (known === undefined) for (const listener of [...this.listeners]) listener();
  }

  /** Path → version, at most `limit` paths (the service's per-watch bound). */
  snapshot(limit: number): Record<string, number> {
    return Object.fromEntries([...this.versions].slice(0, limit));
  }

  get size(): number {
    return this.versions.size;
  }

  /** Calls `listener` whenever a new path is read; returns the unsubscribe function. */
  onNewPath(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The KV v2 version in a read's body (`data.metadata.version`), or undefined for anything else. */
export function kvV2VersionOf(body: string): number | undefined {
  if (!body.includes('"metadata"')) return undefined;
  try {
    const parsed = JSON.parse(body) as { data?: { metadata?: { version?: unknown } } };
    const version = parsed.data?.metadata?.version;
    return typeof version === 'number' && Number.isSafeInteger(version) && version > 0 ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The agent's secret source, also noting the version of each KV v2 read. A read pinned to a
 * version (`?version=N`) is not watched: it never changes.
 */
export class VersionedSecretSource extends VaultSecretSource {
  constructor(
    client: VaultClient,
    auth: AutoAuth | undefined,
    staticToken: string | undefined,
    readonly versions: SecretVersions,
  ) {
    super(client, auth, staticToken);
  }

  override async read(path: string, query?: Readonly<Record<string, string>>): Promise<string | null> {
    const body = await super.read(path, query);
    if (body && !query?.['version']) {
      const version = kvV2VersionOf(body);
      if (version !== undefined) this.versions.record(path.replace(/^\/+|\/+$/g, ''), version);
    }
    return body;
  }
}
