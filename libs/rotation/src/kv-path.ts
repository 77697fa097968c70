/** A watched secret path on a KV v2 mount: `<mount>/data/<key>`. */
export interface KvV2Path {
  /** The path as the pod's annotation names it, e.g. `secret/data/shop/db`. */
  readonly path: string;
  readonly mount: string;
  readonly key: string;
}

/**
 * Splits `<mount>/data/<key>` for one of the configured KV v2 mounts (the longest match wins, so
 * nested mounts work). Undefined for anything else: KV v1 and dynamic secrets have no version
 * to poll, and their pods keep their own agent's polling (see libs/rotation/README.md).
 */
export function kvV2PathOf(path: string, mounts: readonly string[]): KvV2Path | undefined {
  let best: KvV2Path | undefined;
  for (const raw of mounts) {
    const mount = raw.replace(/^\/+|\/+$/g, '');
    const prefix = `${mount}/data/`;
    if (!mount || !path.startsWith(prefix) || path.length === prefix.length) continue;
    if (!best || mount.length > best.mount.length) best = { path, mount, key: path.slice(prefix.length) };
  }
  return best;
}
