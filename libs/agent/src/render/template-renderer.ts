import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { SecretCache, goBytes, parseTemplate, type SecretRequest, type Template } from '@opzero/template';
import type { AgentConfig, TemplateConfig } from '../config/agent-config';
import { ConfigFieldError } from '../config/duration';
import type { AgentLogger } from '../log/agent-logger';
import { sleep } from '../vault/vault-client';
import { writeFileAtomic } from './atomic-file';
import { keyOf, renderRound, TemplateStepError } from './render-round';
import { runCommand } from './run-command';
import type { VaultSecretSource } from './vault-secret-source';

const DEFAULT_PERMS = 0o644;
const MAX_RETRY_BACKOFF_MS = 60_000;

export { TemplateStepError } from './render-round';

interface Entry {
  config: TemplateConfig;
  template: Template;
  /** What is on disk (or was last written), to write only on change. */
  written?: string;
  requests: Map<string, SecretRequest>;
}

/** Parses every template at start, so a template that does not parse stops the agent before any write. */
export function parseTemplates(templates: readonly TemplateConfig[]): Array<{ config: TemplateConfig; template: Template }> {
  return templates.map((config, i) => {
    let text = config.contents ?? '';
    if (config.source) {
      try {
        text = readFileSync(config.source, 'utf8');
      } catch (error) {
        throw new ConfigFieldError(`template[${i}].source`, `cannot read ${config.source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    try {
      const template = parseTemplate(text, { name: config.source ?? config.destination, leftDelim: config.leftDelimiter, rightDelim: config.rightDelimiter, errorOnMissingKey: config.errorOnMissingKey });
      return { config, template };
    } catch (error) {
      throw new ConfigFieldError(`template[${i}]`, (error as Error).message);
    }
  });
}

/**
 * Renders the templates from one shared SecretCache (one Vault read per secret however many
 * templates use it), writes each file atomically only when its content changed, runs its
 * command, and in sidecar mode keeps data fresh: leased secrets renewed at
 * lease_renewal_threshold or re-read when not renewable, certificates re-issued at the same
 * fraction of their validity, everything else re-read every static_secret_render_interval.
 */
export class TemplateRenderer {
  private readonly entries: Entry[];
  private readonly cache: SecretCache;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly stopController = new AbortController();
  private readonly due = new Map<string, number>();
  /** Request keys to re-read at the next refresh whatever their schedule (a pushed rotation). */
  private readonly forced = new Set<string>();
  private refreshing = false;
  /** Files written so far (for /agent/v1/metrics). */
  writes = 0;

  constructor(
    parsed: ReadonlyArray<{ config: TemplateConfig; template: Template }>,
    private readonly source: VaultSecretSource,
    private readonly config: AgentConfig,
    private readonly log: AgentLogger,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.entries = parsed.map((p) => ({ ...p, requests: new Map() }));
    this.cache = new SecretCache(source);
  }

  /** Renders every template once (init mode, and the sidecar's first pass), fetching all their secrets at once. */
  async renderAll(): Promise<void> {
    await Promise.all(
      this.entries.map(async (entry) => {
        if (entry.written === undefined) entry.written = await readFile(entry.config.destination, 'utf8').catch(() => undefined);
      }),
    );
    await this.renderEntries(this.entries);
  }

  /** Starts the refresh schedule (sidecar mode). */
  startRefreshing(): void {
    const now = Date.now();
    for (const entry of this.entries) for (const [key, request] of entry.requests) this.due.set(key, this.nextDue(request, now));
    this.arm();
  }

  /** Re-reads now every secret read from one of `vaultPaths` and re-renders (the rotation service's push). */
  refreshPaths(vaultPaths: readonly string[]): void {
    for (const entry of this.entries) {
      for (const [key, request] of entry.requests) if (vaultPaths.some((path) => readsPath(request, path))) this.forced.add(key);
    }
    if (this.forced.size > 0 && !this.refreshing && this.due.size > 0) this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.stopController.abort();
    clearTimeout(this.timer);
  }

  /** Renders `entries` until each is written; every dependency they lack is fetched concurrently, once. */
  private renderEntries(entries: readonly Entry[]): Promise<void> {
    return renderRound(entries, {
      render: (entry) => {
        let result: { output: string; missing: SecretRequest[] };
        try {
          result = entry.template.renderCached({ cache: this.cache, env: this.env });
        } catch (error) {
          throw new TemplateStepError(entry.config.destination, (error as Error).message, { cause: error });
        }
        for (const request of result.missing) entry.requests.set(keyOf(request), request);
        return result;
      },
      destination: (entry) => entry.config.destination,
      fetch: (destinations, request) => this.fetchWithRetry(destinations, [request]),
      write: (ready) => this.writeBatch(ready),
    });
  }

  /** consul-template's retry: num_retries attempts with backoff doubling from 250 ms; then fatal with exit_on_retry_failure. */
  private async fetchWithRetry(destination: string, requests: SecretRequest[]): Promise<void> {
    let backoff = 250;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cache.fetch(requests);
        return;
      } catch (error) {
        const exhausted = attempt >= this.config.vault.templateRetries;
        this.log.error('failed to fetch secret', { template: destination, attempt: attempt + 1, error: (error as Error).message });
        if (this.stopped) throw new TemplateStepError(destination, 'agent stopping');
        if (exhausted && this.config.templateConfig.exitOnRetryFailure) throw new TemplateStepError(destination, (error as Error).message, { cause: error });
        await sleep(backoff, this.stopController.signal);
        backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
      }
    }
  }

  /**
   * Writes the templates of one pass concurrently (each file's fsync overlaps the others'; two
   * templates with one destination still write in template order), then runs the commands of
   * the changed ones one after another in template order, as consul-template's runner does.
   */
  private async writeBatch(ready: ReadonlyArray<{ entry: Entry; output: string }>): Promise<void> {
    const byDestination = new Map<string, Promise<boolean>>();
    const changed = await Promise.all(
      ready.map(({ entry, output }) => {
        const previous = byDestination.get(entry.config.destination);
        const writing = previous ? previous.then(() => this.write(entry, output)) : this.write(entry, output);
        byDestination.set(entry.config.destination, writing);
        return writing;
      }),
    );
    for (const [i, { entry }] of ready.entries()) {
      const { command, commandTimeoutMs } = entry.config;
      if (changed[i] && command) await runCommand(command, commandTimeoutMs, this.log);
    }
  }

  /** Writes one file if its content changed; whether it did. */
  private async write(entry: Entry, output: string): Promise<boolean> {
    const { destination, perms } = entry.config;
    if (entry.written === output) {
      this.log.debug('rendered content unchanged', { template: destination });
      return false;
    }
    let mode = perms;
    if (mode === undefined) {
      mode = entry.written === undefined ? DEFAULT_PERMS : await currentMode(destination);
    }
    try {
      // Output is a Go string: bytes from base64Decode travel as lone escapes and must be written
      // back as the raw bytes, as the agent writes them, not re-encoded as UTF-8.
      await writeFileAtomic(destination, goBytes(output), mode);
    } catch (error) {
      throw new TemplateStepError(destination, `cannot write: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    entry.written = output;
    this.writes++;
    this.log.info('rendered', { template: destination });
    return true;
  }

  private nextDue(request: SecretRequest, now: number): number {
    const lease = this.source.leases.get(pathOf(request));
    const threshold = this.config.templateConfig.leaseRenewalThreshold;
    if (lease?.leaseId && lease.durationMs > 0) return now + lease.durationMs * (lease.renewable ? threshold : 0.85 + Math.random() * 0.1);
    if (lease?.certificateExpiresAt) return now + Math.max(lease.certificateExpiresAt - now, 0) * threshold;
    return now + this.config.templateConfig.staticSecretRenderIntervalMs;
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.due.size === 0) return;
    const next = this.forced.size > 0 ? 0 : Math.min(...this.due.values());
    this.timer = setTimeout(() => void this.refresh().catch((error: unknown) => this.onRefreshError(error)), Math.max(next - Date.now(), 0));
  }

  private refreshFailure: ((error: unknown) => void) | undefined;

  /** Where a refresh that cannot recover goes (exit_on_retry_failure, a template execution error). */
  onFatal(handler: (error: unknown) => void): void {
    this.refreshFailure = handler;
  }

  private onRefreshError(error: unknown): void {
    if (this.refreshFailure) this.refreshFailure(error);
    else this.log.error('refresh failed', { error: (error as Error).message });
  }

  private async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      await this.refreshDue();
    } finally {
      this.refreshing = false;
    }
    this.arm();
  }

  private async refreshDue(): Promise<void> {
    const now = Date.now();
    const forced = new Set(this.forced);
    this.forced.clear();
    const dueRequests: SecretRequest[] = [];
    for (const entry of this.entries) {
      for (const [key, request] of entry.requests) {
        if ((forced.has(key) || (this.due.get(key) ?? 0) <= now + 50) && !dueRequests.some((r) => keyOf(r) === key)) dueRequests.push(request);
      }
    }
    const renewed = await Promise.all(dueRequests.map((request) => this.renewLease(request)));
    const refetch = dueRequests.filter((_, i) => !renewed[i]);
    if (refetch.length > 0) {
      await this.fetchWithRetry(this.entries.map((e) => e.config.destination).join(','), refetch);
      for (const request of refetch) this.due.set(keyOf(request), this.nextDue(request, Date.now()));
      await this.renderEntries(this.entries);
      for (const entry of this.entries) for (const [key, request] of entry.requests) if (!this.due.has(key)) this.due.set(key, this.nextDue(request, Date.now()));
    }
  }

  /** Renews a renewable lease that is due; whether it was extended enough to keep the secret (else it is re-read). */
  private async renewLease(request: SecretRequest): Promise<boolean> {
    const lease = this.source.leases.get(pathOf(request));
    if (!lease?.leaseId || !lease.renewable) return false;
    try {
      const durationMs = await this.source.renew(lease.leaseId, lease.durationMs);
      if (durationMs < lease.durationMs * 0.5) return false;
      this.source.leases.set(pathOf(request), { ...lease, durationMs });
      this.due.set(keyOf(request), this.nextDue(request, Date.now()));
      return true;
    } catch (error) {
      this.log.warn('lease renewal failed, fetching the secret again', { path: pathOf(request), error: (error as Error).message });
      return false;
    }
  }
}

/** The Vault path a request reads (query and slashes dropped), as VaultSecretSource records it. */
function pathOf(request: SecretRequest): string {
  return request.path.split('?')[0]!.trim().replace(/^\/+|\/+$/g, '');
}

/** Whether a request reads Vault path `path`: the same path, or a KV v2 read a template wrote without its `data/` segment. */
function readsPath(request: SecretRequest, path: string): boolean {
  if (request.kind !== 'read') return false;
  const own = pathOf(request);
  return own === path || own === path.replace('/data/', '/');
}

async function currentMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return DEFAULT_PERMS;
  }
}
