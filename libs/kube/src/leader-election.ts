import type { CoordinationV1Api, KubeConfig, V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { apiStatus, loadClientNode } from './client-node';

/** Timing of a leader election, as client-go's LeaderElectionConfig names it. */
export interface LeaderElectionOptions {
  namespace: string;
  /** The Lease's name: one per elected role. */
  name: string;
  /** This contender's identity (pod name), written as holderIdentity. */
  identity: string;
  /** How long a holder's claim lasts without renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** How often the leader renews. Default 5 s; must be below the lease duration. */
  renewPeriodMs?: number;
  /**
   * How often a follower retries. Default a quarter of the renew period: a follower notices an
   * expiry at most one retry late and acts one retry later, so a dead holder is replaced within
   * lease duration + renew period with room for API latency.
   */
  retryPeriodMs?: number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
}

/** What a contender saw last of the Lease, and when (its own clock: clocks may differ). */
interface Observation {
  holder: string;
  renewTime: string;
  observedAt: number;
}

/**
 * Leader election over a coordination.k8s.io/v1 Lease, the way client-go does it: acquire
 * when the Lease is free or its holder has not renewed for a lease duration (measured on this
 * contender's own clock from when it saw the last renewal), renew every renew period, give up
 * leadership if renewals fail for a lease duration, and release the Lease on stop() so a
 * successor need not wait for expiry. Every write carries the resourceVersion it read, so two
 * contenders can never both win.
 */
export class LeaderElector {
  private leading = false;
  private stopped = false;
  private observation: Observation | undefined;
  private lastRenewal = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The round in progress, so stop() never releases while a renewal is still on its way. */
  private round: Promise<void> = Promise.resolve();
  private readonly leaseDurationMs: number;
  private readonly renewPeriodMs: number;
  private readonly retryPeriodMs: number;

  private constructor(
    private readonly api: CoordinationV1Api,
    /** The current time in the microsecond format Lease times are written in. */
    private readonly microNow: () => V1MicroTime,
    private readonly options: LeaderElectionOptions,
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewPeriodMs = options.renewPeriodMs ?? 5_000;
    this.retryPeriodMs = options.retryPeriodMs ?? Math.floor(this.renewPeriodMs / 4);
    if (this.renewPeriodMs >= this.leaseDurationMs) throw new Error('renewPeriodMs must be below leaseDurationMs');
  }

  /** A contender for the cluster `config` points at; call start() to campaign. */
  static async create(config: KubeConfig, options: LeaderElectionOptions): Promise<LeaderElector> {
    const k8s = await loadClientNode();
    return new LeaderElector(config.makeApiClient(k8s.CoordinationV1Api), () => new k8s.V1MicroTime(), options);
  }

  /** Whether this contender holds the Lease now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning (and, once leading, renewing) in the background. */
  start(): void {
    this.stopped = false;
    this.round = this.tick();
  }

  /** Stops campaigning; a leader releases the Lease (empty holder) so a successor takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    if (!this.leading) return;
    this.setLeading(false);
    const lease = await this.readLease().catch(() => undefined);
    if (!lease || lease.spec?.holderIdentity !== this.options.identity) return;
    await this.api
      .replaceNamespacedLease({
        namespace: this.options.namespace,
        name: this.options.name,
        body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: this.microNow() } },
      })
      .catch(() => undefined); // someone else wrote first: nothing of ours to release
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await this.tryAcquireOrRenew();
    } catch {
      held = false; // the API server is unreachable or refused: treated like a lost race
    }
    if (this.stopped) return;
    if (held) {
      this.lastRenewal = Date.now();
      if (!this.leading) this.setLeading(true);
    } else if (this.leading && Date.now() - this.lastRenewal >= this.leaseDurationMs) {
      this.setLeading(false); // could not renew for a whole lease duration: others may lead now
    }
    this.timer = setTimeout(() => {
      this.round = this.tick();
    }, this.leading ? this.renewPeriodMs : this.retryPeriodMs);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    if (leading) this.options.onStartedLeading?.();
    else this.options.onStoppedLeading?.();
  }

  private readLease(): Promise<V1Lease> {
    return this.api.readNamespacedLease({ namespace: this.options.namespace, name: this.options.name });
  }

  /** One round: true when this contender holds the Lease after it. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = this.microNow();
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    let lease: V1Lease;
    try {
      lease = await this.readLease();
    } catch (error) {
      if (apiStatus(error) !== 404) throw error;
      await this.api.createNamespacedLease({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
        },
      });
      return true;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime ? new Date(spec.renewTime).toISOString() : '';
    if (!this.observation || this.observation.holder !== holder || this.observation.renewTime !== renewTime) {
      this.observation = { holder, renewTime, observedAt: Date.now() };
    }
    const holderDuration = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    const heldByOther = holder !== '' && holder !== identity;
    if (heldByOther && this.observation.observedAt + holderDuration > Date.now()) return false;

    const transition = holder !== identity;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        renewTime: now,
        acquireTime: transition ? now : spec.acquireTime,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (transition && holder !== '' ? 1 : 0),
      },
    };
    try {
      await this.api.replaceNamespacedLease({ namespace, name, body });
      return true;
    } catch (error) {
      if (apiStatus(error) === 409) return false; // another contender wrote first
      throw error;
    }
  }
}
