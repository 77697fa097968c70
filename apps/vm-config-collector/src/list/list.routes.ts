import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ROOT_LOGGER } from '@opzero/observability';
import { API_PREFIX, PAGE_PREFIX, pageAsset, VmConfigApi, type ApiResponse } from '@opzero/vm-config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { VmConfigCollectorConfig } from '../app.module';
import { FactStoreService, LIST_CONFIG } from './fact-store.service';

const send = (reply: FastifyReply, response: ApiResponse) => reply.code(response.status).headers(response.headers).send(response.body);

/** GET /v1/vm-config/* (the read API, libs/vm-config VmConfigApi) and /vm-config/ (the page). */
@Injectable()
export class ListRoutes implements OnModuleInit {
  private readonly api: VmConfigApi;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LIST_CONFIG) config: VmConfigCollectorConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    stores: FactStoreService,
  ) {
    const logger = root.child({ component: 'vm-config-api' });
    this.api = new VmConfigApi(stores.store, { ...(config.API_TOKEN ? { token: config.API_TOKEN } : {}), ...(config.AUTH_PROXY_HEADER ? { proxyHeader: config.AUTH_PROXY_HEADER } : {}) }, (error) => {
      stores.storeErrors.inc();
      logger.warn({ error: (error as Error).message }, 'VM Config list read failed');
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const api = async (request: FastifyRequest, reply: FastifyReply) => {
      const started = performance.now();
      const response = await this.api.handle({ path: pathOf(request), query: (request.query ?? {}) as Record<string, unknown>, headers: request.headers });
      // The server-side time of the answer (validation, queries, serialisation), for clients and benchmarks.
      return send(reply, { ...response, headers: { ...response.headers, 'server-timing': `app;dur=${(performance.now() - started).toFixed(2)}` } });
    };
    fastify.get(API_PREFIX, api);
    fastify.get(`${API_PREFIX}/*`, api);
    const page = async (request: FastifyRequest, reply: FastifyReply) => {
      const asset = pageAsset(pathOf(request));
      return asset ? send(reply, asset) : reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such page' });
    };
    fastify.get(PAGE_PREFIX, page);
    fastify.get(`${PAGE_PREFIX}/*`, page);
  }
}

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
