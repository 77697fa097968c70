import type { PathIndex } from './path-index';

/** A pod as the API server reports it (only what matching index entries needs). */
export interface LivePod {
  readonly namespace: string;
  readonly name: string;
  readonly generateName?: string;
  /** When graceful deletion began (ms since epoch), if it has. */
  readonly deletedAt?: number;
}

/** The index keys a live pod keeps: `namespace/name`, and `namespace/generateName` for a pod admitted before it had a name. */
export function keysOf(pod: LivePod): string[] {
  return pod.generateName ? [`${pod.namespace}/${pod.name}`, `${pod.namespace}/${pod.generateName}`] : [`${pod.namespace}/${pod.name}`];
}

/**
 * Keeps the path index in step with the pods the API server has: a deleted pod's entry leaves
 * at once (an entry shared through a generateName leaves with the last such pod), and an entry
 * no live pod matches for `graceMs` leaves at a sweep (pods deleted while the service was down).
 * The grace covers the injector's order: pod-created is sent at admission, before the pod exists.
 */
export class PodReconciler {
  private readonly live = new Map<string, LivePod>();
  private readonly indexedAt = new Map<string, number>();
  private readonly unmatchedSince = new Map<string, number>();

  constructor(
    private readonly index: PathIndex,
    private readonly graceMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes when a pod-created entry was (re)indexed, so a deletion older than it cannot remove it. */
  onIndexed(key: string): void {
    this.indexedAt.set(key, this.now());
    this.unmatchedSince.delete(key);
  }

  /** A pod was listed, added or updated. */
  onPodSeen(pod: LivePod): void {
    this.live.set(`${pod.namespace}/${pod.name}`, pod);
  }

  /** A pod is gone: drops the entries no other live pod keeps. Returns the keys removed. */
  onPodDeleted(pod: LivePod): string[] {
    this.live.delete(`${pod.namespace}/${pod.name}`);
    const deletedAt = pod.deletedAt ?? this.now();
    const kept = this.liveKeys();
    const removed: string[] = [];
    for (const key of keysOf(pod)) {
      // A pod re-admitted under the same name (a StatefulSet's) after this one began to go keeps its entry.
      if (kept.has(key) || (this.indexedAt.get(key) ?? 0) > deletedAt) continue;
      if (this.index.remove(key)) removed.push(key);
    }
    return removed;
  }

  /** After a (re)list: `pods` is every live pod. Returns the keys removed by the sweep that follows. */
  onResync(pods: readonly LivePod[]): string[] {
    this.live.clear();
    for (const pod of pods) this.onPodSeen(pod);
    return this.sweep();
  }

  /** Drops entries no live pod has matched for graceMs; returns their keys. */
  sweep(): string[] {
    const now = this.now();
    const kept = this.liveKeys();
    const removed: string[] = [];
    for (const key of this.index.keys()) {
      if (kept.has(key)) {
        this.unmatchedSince.delete(key);
        continue;
      }
      const since = Math.max(this.unmatchedSince.get(key) ?? now, this.indexedAt.get(key) ?? 0);
      if (now - since >= this.graceMs) {
        this.index.remove(key);
        this.unmatchedSince.delete(key);
        this.indexedAt.delete(key);
        removed.push(key);
      } else if (!this.unmatchedSince.has(key)) this.unmatchedSince.set(key, now);
    }
    return removed;
  }

  private liveKeys(): Set<string> {
    const keys = new Set<string>();
    for (const pod of this.live.values()) if (pod.deletedAt === undefined) for (const key of keysOf(pod)) keys.add(key);
    return keys;
  }
}
