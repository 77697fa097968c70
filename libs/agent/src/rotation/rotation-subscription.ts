import type { AgentLogger } from '../log/agent-logger';
import { sleep } from '../vault/vault-client';
import type { SecretVersions } from './secret-versions';
import { postWatch } from './watch-client';

/** The rotation service accepts at most this many paths per watch; more are left to the interval polling. */
const MAX_PATHS = 64;

/** How the sidecar subscribes to the rotation service. */
export interface RotationSubscriptionOptions {
  /** The rotation service (apps/agent-renderer), e.g. `http://agent-renderer.vault:8081`. */
  address: URL;
  /** The pod's Vault token (auto-auth's), sent with every watch; undefined until logged in. */
  token: () => Promise<string | undefined>;
  /** Versions of the KV v2 paths the templates read. */
  versions: SecretVersions;
  /** Called with the paths that have a newer version than the one rendered. */
  onRotated: (paths: string[]) => void;
  log: AgentLogger;
  /** How long one blocking query waits (the service allows up to 60 s). */
  waitMs?: number;
  /** Back-off after a failed watch, doubling up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The sidecar's side of the push: a blocking query to the rotation service for the KV v2 paths
 * its templates read, carrying the versions it rendered; as soon as one has a newer version the
 * renderer re-reads it. The interval polling (`static_secret_render_interval`) keeps running,
 * so when the service is unreachable or refuses the token the sidecar is exactly Vault Agent;
 * it re-subscribes with back-off and logs only the transitions.
 */
export class RotationSubscription {
  private readonly stopController = new AbortController();
  private state: 'starting' | 'subscribed' | 'unavailable' = 'starting';
  private running: Promise<void> | undefined;
  /** Watches answered by the service (for tests and metrics). */
  answers = 0;

  constructor(private readonly options: RotationSubscriptionOptions) {}

  /** Whether the last watch was answered. */
  get subscribed(): boolean {
    return this.state === 'subscribed';
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { minBackoffMs = 1_000, maxBackoffMs = 30_000 } = this.options;
    let backoff = minBackoffMs;
    while (!this.stopController.signal.aborted) {
      const result = await this.watchOnce();
      if (result === 'ok' || result === 'restart') {
        backoff = minBackoffMs;
        continue;
      }
      await sleep(backoff, this.stopController.signal);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  }

  /** One blocking query; 'restart' when a new path was read meanwhile (watch again with it). */
  private async watchOnce(): Promise<'ok' | 'restart' | 'failed'> {
    const { versions, waitMs = 30_000 } = this.options;
    const round = new AbortController();
    const abortRound = () => round.abort();
    this.stopController.signal.addEventListener('abort', abortRound, { once: true });
    const unsubscribe = versions.onNewPath(abortRound);
    try {
      if (versions.size === 0) {
        // Nothing read yet: wait for the first KV v2 read.
        await new Promise<void>((resolve) => round.signal.addEventListener('abort', () => resolve(), { once: true }));
        return 'restart';
      }
      const token = await this.options.token();
      if (!token) return this.unavailable('no Vault token yet');
      const known = versions.snapshot(MAX_PATHS);
      const outcome = await postWatch(this.options.address, token, { paths: Object.keys(known), known, waitMs }, round.signal);
      if (!('changed' in outcome)) return this.unavailable(`the service answered ${outcome.status}: ${outcome.message}`);
      this.answers++;
      this.transition('subscribed', 'subscribed to the rotation service', { paths: Object.keys(known).length });
      const rotated = Object.keys(outcome.changed).filter((path) => path in known && outcome.changed[path]! > known[path]!);
      for (const path of rotated) versions.record(path, outcome.changed[path]!);
      if (rotated.length > 0) {
        this.options.log.info('secret rotated: rendering again', { paths: rotated.join(',') });
        this.options.onRotated(rotated);
      }
      return 'ok';
    } catch (error) {
      if (round.signal.aborted) return 'restart';
      return this.unavailable((error as Error).message);
    } finally {
      unsubscribe();
      this.stopController.signal.removeEventListener('abort', abortRound);
    }
  }

  private unavailable(reason: string): 'failed' {
    this.transition('unavailable', 'rotation service unavailable: static_secret_render_interval polling only until it answers', { reason });
    return 'failed';
  }

  private transition(to: 'subscribed' | 'unavailable', message: string, fields: Record<string, string | number>): void {
    if (this.state === to) return;
    this.state = to;
    if (to === 'subscribed') this.options.log.info(message, fields);
    else this.options.log.warn(message, fields);
  }
}
