import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthMethodConfig, SinkConfig } from '../config/agent-config';
import type { AgentLogger } from '../log/agent-logger';
import { writeFileAtomic } from '../render/atomic-file';
import { sleep, VaultError, type VaultClient } from '../vault/vault-client';
import { AuthError, AuthMethod, type AuthToken } from './auth-methods';

/** Renew at this fraction of the TTL, as Vault's LifetimeWatcher does (about 2/3). */
const RENEW_FRACTION = 2 / 3;

/**
 * Auto-auth: logs in with backoff (min_backoff doubling to max_backoff; with exit_on_err the
 * first failure is fatal), writes every sink, renews the token at about 2/3 of its TTL and
 * logs in again when renewal fails, the token is not renewable, or a user reports it invalid.
 */
export class AutoAuth {
  private current: AuthToken | undefined;
  private readonly method: AuthMethod;
  private renewTimer: NodeJS.Timeout | undefined;
  private loginInFlight: Promise<AuthToken> | undefined;
  private stopped = false;
  private readonly stopController = new AbortController();
  private readonly listeners: Array<(token: string) => void> = [];
  private sinkWrites: Promise<void> = Promise.resolve();
  /** Failed login attempts, for /agent/v1/metrics. */
  failures = 0;

  constructor(
    private readonly config: AuthMethodConfig,
    private readonly sinks: readonly SinkConfig[],
    private readonly client: VaultClient,
    private readonly log: AgentLogger,
  ) {
    this.method = new AuthMethod(config, client);
  }

  get token(): string | undefined {
    return this.current?.token;
  }

  /** Called with every new token (its sink writes start at the same time, see sinksWritten). */
  onToken(listener: (token: string) => void): void {
    this.listeners.push(listener);
  }

  /** The current token, logging in first when there is none. Rejects only with exit_on_err or on stop. */
  async ensureToken(): Promise<string> {
    if (this.current) return this.current.token;
    return (await this.login()).token;
  }

  /** Resolves when every sink holds the latest token; rejects with an AuthError naming the sink whose write failed. */
  sinksWritten(): Promise<void> {
    return this.sinkWrites;
  }

  /** Vault Agent checks at start that every sink directory is writable; so do we (AuthError names the sink). */
  checkSinks(): void {
    for (const sink of this.sinks) {
      try {
        accessSync(dirname(sink.path), constants.W_OK);
      } catch (error) {
        throw new AuthError(`sink ${sink.path}: directory not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
  }

  /** Drops the token (Vault said it is invalid) and logs in again. */
  async reauthenticate(reason: string): Promise<string> {
    if (this.loginInFlight) return (await this.loginInFlight).token;
    this.log.info('re-authenticating', { reason });
    this.current = undefined;
    return (await this.login()).token;
  }

  stop(): void {
    this.stopped = true;
    this.stopController.abort();
    clearTimeout(this.renewTimer);
  }

  private login(): Promise<AuthToken> {
    this.loginInFlight ??= this.loginWithBackoff().finally(() => (this.loginInFlight = undefined));
    return this.loginInFlight;
  }

  private async loginWithBackoff(): Promise<AuthToken> {
    let backoff = this.config.minBackoffMs;
    for (;;) {
      if (this.stopped) throw new AuthError('agent stopping');
      try {
        this.log.info('authenticating', { method: this.method.type });
        const token = await this.method.login();
        this.accept(token);
        return token;
      } catch (error) {
        this.failures++;
        this.log.error('error authenticating', { method: this.method.type, error: (error as Error).message, backoff: `${backoff}ms` });
        if (this.config.exitOnErr) throw error instanceof AuthError ? error : new AuthError(`${this.method.type}: ${(error as Error).message}`, { cause: error });
        await sleep(backoff * (0.75 + Math.random() * 0.25), this.stopController.signal);
        backoff = Math.min(backoff * 2, this.config.maxBackoffMs);
      }
    }
  }

  private accept(token: AuthToken): void {
    this.current = token;
    // The token goes to its users first; the sinks are written alongside (as bao's sink server
    // does), so template fetches do not wait for an fsync. Init mode awaits sinksWritten().
    this.writeSinks(token);
    this.log.info('authentication successful', { method: this.method.type, ttl: `${Math.round(token.ttlMs / 1000)}s`, renewable: token.renewable });
    this.schedule(token);
    for (const listener of this.listeners) listener(token.token);
  }

  /** Queues the writes of `token` to every sink after any earlier token's (an old token never lands last). */
  private writeSinks(token: AuthToken): void {
    const writes = this.sinkWrites.catch(() => undefined).then(() => this.writeEverySink(token.token));
    this.sinkWrites = writes;
    // Sidecar: nobody awaits the writes; a failure is logged and retried while the token is current.
    writes.catch((error: unknown) => this.retrySinks(token, error, this.config.minBackoffMs));
  }

  /** Writes every sink concurrently, waits for all of them, then rejects with the first failure (AuthError naming the sink). */
  private async writeEverySink(token: string): Promise<void> {
    const results = await Promise.allSettled(
      this.sinks.map(async (sink) => {
        try {
          await writeFileAtomic(sink.path, token, sink.mode, false);
        } catch (error) {
          throw new AuthError(`sink ${sink.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
        }
        this.log.info('token written', { path: sink.path });
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private retrySinks(token: AuthToken, error: unknown, backoff: number): void {
    if (this.stopped || this.current !== token) return;
    this.log.error('error writing token to sink', { error: (error as Error).message, backoff: `${backoff}ms` });
    void sleep(backoff, this.stopController.signal)
      .then(() => {
        if (this.stopped || this.current !== token) return;
        const retry = this.writeEverySink(token.token);
        this.sinkWrites = retry;
        retry.catch((e: unknown) => this.retrySinks(token, e, Math.min(backoff * 2, this.config.maxBackoffMs)));
      })
      .catch(() => undefined);
  }

  private schedule(token: AuthToken): void {
    clearTimeout(this.renewTimer);
    if (this.stopped || token.ttlMs <= 0) return;
    this.renewTimer = setTimeout(() => void this.renewOrLogin(token), Math.max(token.ttlMs * RENEW_FRACTION, 250));
    this.renewTimer.unref();
  }

  private async renewOrLogin(token: AuthToken): Promise<void> {
    if (this.stopped || this.current !== token) return;
    if (token.renewable) {
      try {
        const text = await this.client.call({ method: 'PUT', path: 'auth/token/renew-self', token: token.token, body: {}, namespace: this.config.namespace });
        const auth = (JSON.parse(text ?? '{}') as { auth?: { lease_duration?: number; renewable?: boolean } }).auth;
        const ttlMs = (auth?.lease_duration ?? 0) * 1000;
        // A renewal that no longer extends the token (max TTL reached) means: log in again soon.
        if (ttlMs > 0 && (ttlMs >= token.ttlMs * 0.5 || ttlMs > 10_000)) {
          const renewed = { token: token.token, ttlMs, renewable: auth?.renewable === true };
          this.current = renewed;
          this.log.debug('token renewed', { ttl: `${Math.round(ttlMs / 1000)}s` });
          this.schedule(renewed);
          return;
        }
      } catch (error) {
        this.log.warn('token renewal failed', { error: (error as Error).message });
        if (error instanceof VaultError && error.status !== 403 && error.status !== 400) {
          // Vault unreachable or sealed: keep the token and retry soon instead of logging in.
          this.renewTimer = setTimeout(() => void this.renewOrLogin(token), 1000);
          this.renewTimer.unref();
          return;
        }
      }
    }
    if (this.current === token) await this.reauthenticate('token not renewable or renewal refused').catch((e: unknown) => this.log.error('re-authentication stopped', { error: (e as Error).message }));
  }
}
