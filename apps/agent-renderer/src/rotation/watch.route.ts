import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { authorizeWatch, GrantCache, parseWatchRequest, WatchRefused, type WatchAnswer } from '@opzero/rotation';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RotationService } from './rotation.service';

/** A watch body holds at most 64 paths of 1 KiB and their versions. */
const BODY_LIMIT = 160 * 1024;

const json = (reply: FastifyReply, status: number, body: object) => reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));

/**
 * POST /v1/rotation/watch: the sidecar's blocking query. Body `{ paths, known, waitMs }`, header
 * `X-Vault-Token` (the pod's token, checked per path with capabilities-self, never logged).
 * Answers `{ changed: { <path>: <version> } }` as soon as a path has a newer version, or `{}`
 * after waitMs; 400 names the bad field, 401/403 say why the token was refused.
 */
@Injectable()
export class WatchRoute implements OnModuleInit {
  /** A sidecar's token is checked with Vault once per WATCH_GRANT_TTL_MS, not on every watch. */
  private readonly grants: GrantCache;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly rotation: RotationService,
  ) {
    this.grants = new GrantCache(rotation.grantTtlMs);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: '/v1/rotation/watch',
      bodyLimit: BODY_LIMIT,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const watch = parseWatchRequest(request.body);
          const header = request.headers['x-vault-token'];
          await authorizeWatch(this.rotation.vault, typeof header === 'string' ? header : undefined, watch.paths, this.grants);
          const closed = new AbortController();
          request.raw.once('close', () => closed.abort());
          const answer: WatchAnswer = { changed: await this.rotation.hub.wait(watch.paths, watch.known, watch.waitMs, closed.signal) };
          return json(reply, 200, answer);
        } catch (error) {
          if (error instanceof WatchRefused) return json(reply, error.status, { statusCode: error.status, message: error.message });
          throw error;
        }
      },
      errorHandler: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
        json(reply, error.statusCode && error.statusCode < 500 ? error.statusCode : 400, { statusCode: 400, message: `unreadable body: ${error.code ?? 'invalid JSON'}` }),
    });
  }
}
