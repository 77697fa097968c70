import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { AuthError } from './auth/auth-methods';
import { AutoAuth } from './auth/auto-auth';
import type { AgentConfig } from './config/agent-config';
import { AgentListener } from './listener/agent-listener';
import { AgentMetrics } from './listener/agent-metrics';
import type { AgentLogger } from './log/agent-logger';
import { parseTemplates, TemplateRenderer, TemplateStepError } from './render/template-renderer';
import { createRotationPush } from './rotation/rotation-push';
import { VaultClient } from './vault/vault-client';

/** How the agent ended: 0 after init mode or a clean stop; 1 after a failed auth or template step. */
export interface AgentOutcome {
  exitCode: number;
  /** Names the failed step (`auth`, `template <destination>`), for the last log line. */
  failure?: string;
}

export interface AgentRunOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process should stop (SIGTERM/SIGINT); the sidecar then exits 0. */
  stopSignal: Promise<void>;
}

/**
 * The agent: auto-auth, templates, listener. Init mode (exit_after_auth) renders once and
 * returns; the sidecar keeps token and files fresh until stopSignal or /agent/v1/quit.
 */
export async function runAgent(config: AgentConfig, log: AgentLogger, options: AgentRunOptions): Promise<AgentOutcome> {
  const parsed = parseTemplates(config.templates);
  if (config.pidFile) writeFileSync(config.pidFile, String(process.pid), { mode: 0o600 });
  const keepAlive = (scope: string) => !config.disableKeepAlives.includes(scope) && !config.disableIdleConnections.includes(scope);
  const authClient = new VaultClient(config.vault, { keepAlive: keepAlive('auto-auth') });
  const templateClient = new VaultClient(config.vault, { keepAlive: keepAlive('templating'), maxSockets: config.templateConfig.maxConnectionsPerHost || Infinity });
  const autoAuth = config.autoAuth ? new AutoAuth(config.autoAuth.method, config.autoAuth.sinks, authClient, log.named('auth')) : undefined;
  // With OPZERO_ROTATION_ADDRESS the sidecar also re-renders as soon as the rotation service pushes a new version.
  const push = createRotationPush(options.env, !config.exitAfterAuth, { client: templateClient, autoAuth, log: log.named('rotation') });
  const source = push.source;
  let authSuccesses = 0;
  autoAuth?.onToken(() => authSuccesses++);
  const renderer = new TemplateRenderer(parsed, source, config, log.named('template'), options.env);
  const metrics = new AgentMetrics({
    vaultRequests: () => source.requestCount,
    authSuccesses: () => authSuccesses,
    authFailures: () => autoAuth?.failures ?? 0,
    renders: () => renderer.writes,
  });

  let quit!: () => void;
  const quitRequested = new Promise<void>((resolve) => (quit = resolve));
  const proxyClient = config.listeners.length > 0 ? new VaultClient(config.vault, { keepAlive: keepAlive('caching') && keepAlive('proxying') }) : undefined;
  const listener = proxyClient ? new AgentListener(config, proxyClient, { token: () => autoAuth?.token, quit }, metrics, log.named('listener')) : undefined;

  const cleanup = async () => {
    renderer.stop();
    await push.stop();
    autoAuth?.stop();
    await listener?.stop();
    for (const c of [authClient, templateClient, proxyClient]) c?.close();
    if (config.pidFile) await rm(config.pidFile, { force: true });
  };

  try {
    autoAuth?.checkSinks();
    await listener?.start();
    if (autoAuth) await autoAuth.ensureToken();
    if (config.exitAfterAuth) {
      // The token's sink writes run alongside the render; init mode exits only once both are
      // done, and a failed sink write fails the run (the sidecar retries it instead).
      await Promise.all([renderer.renderAll(), autoAuth?.sinksWritten()]);
      await autoAuth?.sinksWritten(); // a token re-issued during the render is in the sinks too
      log.info('init mode: every template rendered, exiting');
      await cleanup();
      return { exitCode: 0 };
    }
    await renderer.renderAll();
    let fatal!: (error: unknown) => void;
    const failed = new Promise<never>((_, reject) => (fatal = reject));
    renderer.onFatal(fatal);
    renderer.startRefreshing();
    push.start(renderer);
    const keepAliveTimer = setInterval(() => undefined, 1 << 30);
    try {
      await Promise.race([options.stopSignal, quitRequested, failed]);
    } finally {
      clearInterval(keepAliveTimer);
    }
    log.info('stopping');
    await cleanup();
    return { exitCode: 0 };
  } catch (error) {
    await cleanup().catch(() => undefined);
    const step = error instanceof AuthError ? (error.message.startsWith('sink ') ? 'sink' : 'auth') : error instanceof TemplateStepError ? `template ${error.destination}` : 'agent';
    log.error(`${step} failed, exiting`, { error: (error as Error).message });
    return { exitCode: 1, failure: step };
  }
}
