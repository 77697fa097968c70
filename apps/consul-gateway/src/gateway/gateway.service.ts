import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BufferedPublisher, EventProducer } from '@opzero/bus';
import { consulServersChanged } from '@opzero/contracts';
import { gatewayMetrics, startGateway, type Gateway, type ServerSet } from '@opzero/gateway';
import { METRICS_REGISTRY, ReadinessService, ROOT_LOGGER } from '@opzero/observability';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { ConsulGatewayConfig } from '../app.module';
import { GATEWAY_OPTIONS, gatewayOptions } from './gateway-options';

/** Options the module gets: the parsed configuration. */
export interface GatewayModuleOptions {
  config: ConsulGatewayConfig;
}

/**
 * Runs the gateway (HTTP proxy, DNS forwarder, checks, discovery) beside the Nest app, exposes
 * its metrics on /metrics and publishes `consul.servers-changed.v1` through a buffer, so the
 * proxy never waits on Kafka. Ready once a leader is known.
 */
@Injectable()
export class GatewayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private gateway: Gateway | undefined;
  private readonly events: BufferedPublisher<typeof consulServersChanged>;
  private readonly logger: Logger;
  private readonly metrics: ReturnType<typeof gatewayMetrics>;

  constructor(
    producer: EventProducer,
    readiness: ReadinessService,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayModuleOptions,
  ) {
    this.logger = root.child({ component: 'consul-gateway' });
    this.metrics = gatewayMetrics(registry, (): ServerSet | undefined => this.gateway?.servers);
    const dropped = new Counter({ name: 'opzero_consul_gateway_events_dropped_total', help: 'servers-changed events dropped (buffer full)', registers: [registry] });
    this.events = new BufferedPublisher(producer, consulServersChanged, {
      capacity: options.config.EVENT_BUFFER_SIZE,
      logger: root.child({ component: 'servers-changed-buffer' }),
      metrics: { buffered() {}, published() {}, failed() {}, dropped: () => dropped.inc() },
    });
    readiness.register('consul-leader', () => this.gateway?.servers.leader() !== undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    const onWatchError = (error: unknown) => this.logger.warn({ error: (error as Error).message }, 'EndpointSlice watch broke; re-listing');
    this.gateway = await startGateway({
      ...gatewayOptions(this.options.config, onWatchError),
      logger: this.logger,
      listener: { changed: (event) => this.events.offer(event) },
      proxyMetrics: this.metrics.proxy,
      dnsMetrics: this.metrics.dns,
    });
    this.logger.info({ http: this.gateway.httpAddress, dnsPort: this.gateway.dnsPort }, 'consul-gateway listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.gateway?.stop();
    await this.events.flush(5_000);
  }
}
