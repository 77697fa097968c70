import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventProducer } from '@opzero/bus';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
import type { EndpointWatch } from '@opzero/kube';
import type { Kms } from '@opzero/kms';
import { BusUnsealEvents, initializeVault, InitRefused, KeyStoreConflict, prometheusUnsealMetrics, ShareSource, UnsealKeeper, type KeyStore, type LeaderElection, type VaultNode } from '@opzero/unseal';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { discoverNodes, keeperOptionsFrom, keyStoreFrom, kmsFrom, leaderElectionFrom, nodesFrom } from '../config/keeper-parts';
import type { UnsealKeeperConfig } from '../config/unseal-keeper.config';

export const KEEPER_CONFIG = Symbol('KEEPER_CONFIG');

/** Builds the keeper from the configuration, starts it after bootstrap, stops it and flushes its events on shutdown. */
@Injectable()
export class KeeperService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private keeper: UnsealKeeper | undefined;
  private leader: LeaderElection | undefined;
  private discovery: EndpointWatch | undefined;
  private readonly events: BusUnsealEvents;
  private readonly logger: Logger;

  constructor(
    producer: EventProducer,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(KEEPER_CONFIG) private readonly config: UnsealKeeperConfig,
  ) {
    this.logger = root.child({ component: 'unseal-keeper' });
    this.events = new BusUnsealEvents(producer, { logger: this.logger });
  }

  async onApplicationBootstrap(): Promise<void> {
    let nodes = nodesFrom(this.config);
    const service = this.config.KUBERNETES_SERVICE;
    if (service) {
      // Changes before the keeper exists only update the set it starts with.
      this.discovery = await discoverNodes({ ...this.config, KUBERNETES_SERVICE: service }, (found) => {
        nodes = found;
        this.keeper?.setNodes(found);
      }, this.logger);
    }
    const source = await this.shareSource(nodes[0]);
    this.leader = await leaderElectionFrom(this.config, this.logger);
    this.keeper = new UnsealKeeper(
      { nodes, ...(source ? { source } : {}), events: this.events, logger: this.logger, metrics: prometheusUnsealMetrics(this.registry), leader: this.leader },
      keeperOptionsFrom(this.config),
    );
    this.keeper.start();
    this.logger.info({ nodes: this.keeper.nodes(), service, kms: this.config.KMS_PROVIDER, store: source?.store.description }, 'watching Vault nodes');
  }

  /** The KMS and key store (initialising the first node first when INIT=true), or none: watch only. */
  private async shareSource(first: VaultNode | undefined): Promise<ShareSource | undefined> {
    const config = this.config;
    if (config.KMS_PROVIDER === 'none') {
      this.logger.warn({}, 'UNSEAL_KEEPER_KMS_PROVIDER=none: watching only; sealed nodes are reported, never unsealed');
      return undefined;
    }
    const kms = await kmsFrom({ ...config, KMS_PROVIDER: config.KMS_PROVIDER }, (message) => this.logger.warn({ provider: config.KMS_PROVIDER }, message));
    const store = await keyStoreFrom(config);
    // With discovery, the first node in address order; none discovered yet: nothing to initialise now.
    if (config.INIT && first) await this.initializeIfNew(first, store, kms);
    else if (config.INIT) this.logger.warn({ service: config.KUBERNETES_SERVICE }, 'UNSEAL_KEEPER_INIT=true but no Vault node was discovered at start: not initialising');
    return new ShareSource(store, kms, config.CLUSTER_NAME);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.discovery?.stop();
    await this.keeper?.stop();
    await this.leader?.stop();
    const left = await this.events.flush(5_000);
    if (left > 0) this.logger.warn({ left }, 'seal events not published before shutdown');
  }

  /** INIT=true: initialise the first node when it is new and the store is empty; otherwise say why not and carry on. */
  private async initializeIfNew(node: VaultNode, store: KeyStore, kms: Kms): Promise<void> {
    try {
      await initializeVault(node, store, kms, { shares: this.config.INIT_SHARES, threshold: this.config.INIT_THRESHOLD, cluster: this.config.CLUSTER_NAME }, this.logger);
    } catch (error) {
      // KeyStoreConflict: another replica's init claimed the store first.
      if (!(error instanceof InitRefused) && !(error instanceof KeyStoreConflict)) throw error;
      this.logger.info({ reason: error.message }, 'not initialising');
    }
  }
}
