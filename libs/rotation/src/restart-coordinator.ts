import type { IndexedPod } from './path-index';

/** A workload `kubectl rollout restart` can restart. */
export interface RestartableWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
}

/** The Kubernetes side: owner lookup and the restart itself (libs/kube Workloads in the service). */
export interface WorkloadRestarter {
  /** The restartable workload behind a pod's controller (ReplicaSet → Deployment), or undefined. */
  resolve(namespace: string, owner: { kind: string; name: string }): Promise<RestartableWorkload | undefined>;
  restart(workload: RestartableWorkload): Promise<void>;
}

/** Coalescing and concurrency limits; both have defaults. */
export interface RestartOptions {
  /** Rotations of one workload within this window cause one restart (default 10 s). */
  windowMs: number;
  /** Workloads restarting at once (default 2). */
  maxConcurrent: number;
}

/** What a rotation asked of the coordinator. */
export interface RestartRequest {
  /** Workloads newly queued or already queued for these pods. */
  queued: RestartableWorkload[];
  /** restart-on-rotate pods without a restartable workload: nothing is restarted or deleted for them. */
  unrestartable: string[];
}

interface Pending {
  workload: RestartableWorkload;
  dueAt: number;
}

const keyOf = (workload: RestartableWorkload) => `${workload.kind}/${workload.namespace}/${workload.name}`;

/**
 * Rolls the workloads of `restart-on-rotate` pods when one of their paths rotates. The first
 * rotation of a workload queues a restart due `windowMs` later, so rotations of its other paths
 * inside the window join it; a workload restarted less than `windowMs` ago is queued for
 * `windowMs` after that restart, never restarted twice inside the window and never dropped
 * (its new pods may have started before the rotation). `tick(now)` starts what is due, at most
 * `maxConcurrent` at a time; a failed restart is queued again for the next window.
 */
export class RestartCoordinator {
  private readonly options: RestartOptions;
  private readonly pending = new Map<string, Pending>();
  private inFlight = 0;

  constructor(
    private readonly restarter: WorkloadRestarter,
    options: Partial<RestartOptions> = {},
    private readonly onError: (workload: RestartableWorkload, error: unknown) => void = () => undefined,
  ) {
    this.options = { windowMs: 10_000, maxConcurrent: 2, ...options };
  }

  /** Queues the workloads of the restart-on-rotate pods among `pods`. */
  async request(pods: readonly IndexedPod[], now: number): Promise<RestartRequest> {
    const result: RestartRequest = { queued: [], unrestartable: [] };
    for (const pod of pods.filter((candidate) => candidate.restartOnRotate)) {
      const workload = pod.owner ? await this.restarter.resolve(pod.namespace, pod.owner) : undefined;
      if (!workload) {
        result.unrestartable.push(pod.key);
        continue;
      }
      const key = keyOf(workload);
      // Due a window from the first request: restarts happen at or after their due time, so a
      // request after a restart is always due at least a window after that restart.
      if (!this.pending.has(key)) this.pending.set(key, { workload, dueAt: now + this.options.windowMs });
      result.queued.push(workload);
    }
    return result;
  }

  /** Starts the restarts due at `now` within the concurrency limit; resolves when they finished. */
  async tick(now: number): Promise<RestartableWorkload[]> {
    const due = [...this.pending.entries()].filter(([, entry]) => entry.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt);
    const started = due.slice(0, Math.max(0, this.options.maxConcurrent - this.inFlight));
    await Promise.all(started.map(([key, entry]) => this.restart(key, entry, now)));
    return started.map(([, entry]) => entry.workload);
  }

  /** Workloads waiting for their window. */
  get queued(): RestartableWorkload[] {
    return [...this.pending.values()].map((entry) => entry.workload);
  }

  private async restart(key: string, entry: Pending, now: number): Promise<void> {
    this.pending.delete(key);
    this.inFlight++;
    try {
      await this.restarter.restart(entry.workload);
    } catch (error) {
      this.onError(entry.workload, error);
      if (!this.pending.has(key)) this.pending.set(key, { workload: entry.workload, dueAt: now + this.options.windowMs });
    } finally {
      this.inFlight--;
    }
  }
}
