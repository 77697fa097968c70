/** Last-seen KV v2 version per secret path, kept where a restarted or new leader finds it. */
export interface VersionStore {
  /** Every path's last emitted (or baseline) version. */
  load(): Promise<Map<string, number>>;
  /** Replaces the stored versions with `versions`. */
  save(versions: ReadonlyMap<string, number>): Promise<void>;
}

/** The part of libs/kube's KubeSecrets the Secret-backed store uses (structural, so tests need no client-node). */
export interface SecretAccess {
  read(namespace: string, name: string): Promise<{ namespace: string; name: string; resourceVersion: string; data: Readonly<Record<string, Buffer>> } | undefined>;
  create(namespace: string, name: string, data: Record<string, string>): Promise<{ namespace: string; name: string; resourceVersion: string; data: Readonly<Record<string, Buffer>> }>;
  update(
    previous: { namespace: string; name: string; resourceVersion: string; data: Readonly<Record<string, Buffer>> },
    data: Record<string, string>,
  ): Promise<{ namespace: string; name: string; resourceVersion: string; data: Readonly<Record<string, Buffer>> }>;
}

const VERSIONS_KEY = 'versions.json';
/** Longest a Secret call may take: client-node sets no timeout, and a call caught by an API server restart can hang, holding the poll round. */
const CALL_TIMEOUT_MS = 15_000;
/** A Secret holds at most 1 MiB; path + version as JSON is well under 100 bytes each, so ~10 000 paths. */
const MAX_BYTES = 900 * 1024;

/**
 * Versions in one Kubernetes Secret (`versions.json`: `{ "<path>": <version> }`). Chosen over a
 * compacted Kafka topic because the leader already holds a Lease in the same namespace, a
 * compare-and-swap update (resourceVersion) stops a deposed leader from overwriting the new
 * one's state, and a read at start is one GET instead of consuming a topic to its end. It holds
 * identifiers and version numbers only, never secret data.
 */
export class KubeSecretVersionStore implements VersionStore {
  private snapshot: Awaited<ReturnType<SecretAccess['read']>>;

  constructor(
    private readonly secrets: SecretAccess,
    private readonly namespace: string,
    private readonly name: string,
    private readonly callTimeoutMs = CALL_TIMEOUT_MS,
  ) {}

  /** Reads the Secret; an absent Secret is an empty store. */
  async load(): Promise<Map<string, number>> {
    this.snapshot = await this.bounded('read', this.secrets.read(this.namespace, this.name));
    const raw = this.snapshot?.data[VERSIONS_KEY];
    return raw ? parseVersions(raw.toString('utf8'), `Secret ${this.namespace}/${this.name} ${VERSIONS_KEY}`) : new Map();
  }

  /**
   * Writes the versions. If the write fails (another replica wrote since our read: a previous
   * leader's last round), re-reads, keeps the higher version of each path and writes once more;
   * a second failure propagates.
   */
  async save(versions: ReadonlyMap<string, number>): Promise<void> {
    try {
      await this.write(versions);
    } catch {
      const merged = await this.load();
      for (const [path, version] of versions) merged.set(path, Math.max(version, merged.get(path) ?? 0));
      await this.write(merged);
    }
  }

  private async write(versions: ReadonlyMap<string, number>): Promise<void> {
    const json = JSON.stringify(Object.fromEntries(versions));
    if (Buffer.byteLength(json) > MAX_BYTES) throw new Error(`rotation state for ${versions.size} paths exceeds ${MAX_BYTES} bytes, the limit of one Secret`);
    const data = { [VERSIONS_KEY]: json };
    this.snapshot = await this.bounded('write', this.snapshot ? this.secrets.update(this.snapshot, data) : this.secrets.create(this.namespace, this.name, data));
  }

  /** Rejects when `call` takes longer than callTimeoutMs (a late success is harmless: the next write's compare-and-swap sees it). */
  private bounded<T>(operation: string, call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${operation} Secret ${this.namespace}/${this.name}: no answer within ${this.callTimeoutMs} ms`)), this.callTimeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Parses `{ "<path>": <positive integer> }`; anything else is a named error. */
export function parseVersions(json: string, source: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source} is not JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${source} is not an object of path → version`);
  const versions = new Map<string, number>();
  for (const [path, version] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(version) || (version as number) < 1) throw new Error(`${source}: version of ${JSON.stringify(path.slice(0, 200))} is not a positive integer`);
    versions.set(path, version as number);
  }
  return versions;
}

/** Keeps versions in memory only (single replica without state, and unit tests). */
export class MemoryVersionStore implements VersionStore {
  private versions = new Map<string, number>();

  /** A copy of what was saved. */
  async load(): Promise<Map<string, number>> {
    return new Map(this.versions);
  }

  /** Keeps a copy. */
  async save(versions: ReadonlyMap<string, number>): Promise<void> {
    this.versions = new Map(versions);
  }
}
