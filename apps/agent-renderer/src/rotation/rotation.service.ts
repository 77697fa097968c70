import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventConsumers, EventProducer } from '@opzero/bus';
import { podCreated, sealed, secretRotated, unsealed } from '@opzero/contracts';
import type { LeaderElector } from '@opzero/kube';
import { ROOT_LOGGER } from '@opzero/observability';
import { PushHub, RotationEngine, VaultMetadataSource, type PodWatch } from '@opzero/rotation';
import { VaultClient } from '@opzero/vault';
import type { Logger } from 'pino';
import type { AgentRendererConfig } from '../app.module';
import { leaderElectorFrom, podWatchFrom, restarterFrom, versionStoreFrom } from './rotation-parts';

export const ROTATION_CONFIG = Symbol('ROTATION_CONFIG');

/** Builds the rotation engine (libs/rotation) from the configuration, feeds it from the bus, leads or follows. */
@Injectable()
export class RotationService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private engine: RotationEngine | undefined;
  private elector: LeaderElector | undefined;
  private podWatch: PodWatch | undefined;
  private readonly logger: Logger;
  /** Answers the sidecars' watches; fed by every secret-rotated event this replica sees. */
  readonly hub = new PushHub();
  /** How long a pod token's read grant on a path is trusted before Vault is asked again. */
  get grantTtlMs(): number {
    return this.config.WATCH_GRANT_TTL_MS;
  }
  /** The service's Vault client; watches check pod tokens with `withToken`. */
  readonly vault: VaultClient;

  constructor(
    private readonly producer: EventProducer,
    private readonly consumers: EventConsumers,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(ROTATION_CONFIG) private readonly config: AgentRendererConfig,
  ) {
    this.logger = root.child({ component: 'rotation' });
    this.vault = new VaultClient({ address: config.VAULT_ADDRESS, timeoutMs: config.VAULT_TIMEOUT_MS, ...(config.VAULT_TOKEN ? { token: config.VAULT_TOKEN } : {}) });
  }

  async onApplicationBootstrap(): Promise<void> {
    const config = this.config;
    const restarter = await restarterFrom(config);
    const engine = new RotationEngine(
      {
        source: new VaultMetadataSource(this.vault),
        store: await versionStoreFrom(config),
        publish: async (event, id) => {
          // The leader's own sidecars first, without the Kafka round trip: the hub carries version
          // numbers only and a sidecar re-reads the value from Vault, so a publish that then fails
          // costs nothing (the next round emits again; the hub ignores a version it knows).
          if (event.version !== undefined) this.hub.publish(event.path, event.version);
          await this.producer.publish(secretRotated, event, { id });
        },
        ...(restarter ? { restarter } : {}),
        vaultNodes: config.VAULT_NODES ? config.VAULT_NODES.split(',') : [config.VAULT_ADDRESS],
        logger: this.logger,
      },
      {
        kvV2Mounts: config.KV_V2_MOUNTS,
        minIntervalMs: config.POLL_MIN_INTERVAL_MS,
        maxIntervalMs: config.POLL_MAX_INTERVAL_MS,
        maxReadsPerSecond: config.MAX_READS_PER_SECOND,
        concurrency: config.POLL_CONCURRENCY,
        windowMs: config.RESTART_WINDOW_MS,
        maxConcurrent: config.MAX_CONCURRENT_RESTARTS,
        podGraceMs: config.POD_GRACE_MS,
      },
    );
    this.engine = engine;
    // Every replica builds the whole index: a group of its own, replaying the retained
    // pod-created history from the beginning (so a restart rebuilds it without reading Vault).
    await this.consumers
      .create({ groupId: `agent-renderer-index-${config.POD_NAME}-${randomUUID()}`, fromBeginning: true })
      .on(podCreated, async (event) => engine.onPodCreated(event))
      .start();
    // Push: every replica answers watches from the rotations on the bus, leader or not.
    await this.consumers
      .create({ groupId: `agent-renderer-push-${config.POD_NAME}-${randomUUID()}`, fromBeginning: false })
      .on(secretRotated, async (event) => {
        if (event.version !== undefined) this.hub.publish(event.path, event.version);
      })
      .start();
    // Seal state: from now on only, shared by no one.
    await this.consumers
      .create({ groupId: `agent-renderer-seal-${config.POD_NAME}-${randomUUID()}`, fromBeginning: false })
      .on(sealed, async (event) => engine.onSealed(event.node))
      .on(unsealed, async (event) => engine.onUnsealed(event.node))
      .start();
    this.watchPods();
    this.elector = await leaderElectorFrom(config, {
      onStartedLeading: () => void this.lead(),
      onStoppedLeading: () => void engine.stopLeading(),
    });
    if (this.elector) this.elector.start();
    else await this.lead();
  }

  private async lead(): Promise<void> {
    try {
      await this.engine?.startLeading();
      this.logger.info({ paths: this.engine?.index.paths().length, identity: this.config.POD_NAME }, 'leading: watching secret paths');
    } catch (error) {
      this.logger.warn({ error: String(error) }, 'could not start watching (state store unreadable?); retrying in 5 s');
      setTimeout(() => void this.lead(), 5_000).unref();
    }
  }

  /** Every replica keeps its index in step with the cluster's pods; a first list that fails is retried. */
  private watchPods(): void {
    const engine = this.engine!;
    podWatchFrom(this.config, engine, this.logger).then(
      (watch) => (this.podWatch = watch),
      (error: unknown) => {
        this.logger.warn({ error: String(error) }, 'could not list pods; retrying in 5 s');
        setTimeout(() => this.watchPods(), 5_000).unref();
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.podWatch?.stop();
    await this.engine?.stopLeading();
    await this.elector?.stop();
    await this.consumers.stopAll();
  }
}
