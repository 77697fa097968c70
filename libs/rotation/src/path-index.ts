import { podCreatedKey, type PodCreated } from '@opzero/contracts';

/** What the rotation service remembers of an injected pod. */
export interface IndexedPod {
  /** `namespace/name`, or `namespace/generateName` for pods admitted before they had a name. */
  readonly key: string;
  readonly namespace: string;
  /** The controller that owns the pod (usually a ReplicaSet), for rollout restarts. */
  readonly owner?: { readonly kind: string; readonly name: string };
  readonly restartOnRotate: boolean;
  readonly paths: readonly string[];
}

/**
 * Secret path → pods that render it. Fed by `vault.pod-created.v1`; a pod admitted again under
 * the same key replaces its earlier entry. Pods admitted with only a generateName share the key
 * of their ReplicaSet's prefix: they render the same paths and have the same owner, so one
 * entry stands for all of them.
 */
export class PathIndex {
  private readonly pods = new Map<string, IndexedPod>();
  private readonly byPath = new Map<string, Set<string>>();

  /** Adds (or replaces) the pod an admission described; returns its entry. */
  add(event: PodCreated): IndexedPod {
    const key = podCreatedKey(event);
    this.remove(key);
    const pod: IndexedPod = {
      key,
      namespace: event.namespace,
      owner: event.owner,
      restartOnRotate: event.restartOnRotate,
      paths: [...new Set(event.secrets.map((secret) => secret.path))],
    };
    this.pods.set(key, pod);
    for (const path of pod.paths) {
      const keys = this.byPath.get(path) ?? new Set<string>();
      keys.add(key);
      this.byPath.set(path, keys);
    }
    return pod;
  }

  /** Forgets a pod (`namespace/name`); a path nobody renders any more stops being watched. */
  remove(key: string): boolean {
    const pod = this.pods.get(key);
    if (!pod) return false;
    this.pods.delete(key);
    for (const path of pod.paths) {
      const keys = this.byPath.get(path);
      keys?.delete(key);
      if (keys?.size === 0) this.byPath.delete(path);
    }
    return true;
  }

  /** The pods that render a path. */
  podsFor(path: string): IndexedPod[] {
    return [...(this.byPath.get(path) ?? [])].map((key) => this.pods.get(key)!);
  }

  /** Every indexed pod's key. */
  keys(): string[] {
    return [...this.pods.keys()];
  }

  /** Every distinct path some pod renders. */
  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** Number of indexed pods. */
  get size(): number {
    return this.pods.size;
  }
}
