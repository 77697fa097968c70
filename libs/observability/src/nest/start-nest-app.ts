import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

export interface StartNestAppOptions {
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  /** Longest graceful shutdown before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Request body limit in bytes (Fastify's default is 1 MiB). */
  bodyLimit?: number;
  /** HTTPS key and certificate, PEM. */
  https?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Longest a client may take to send the request headers, and the whole request. Unset, Node's
   * 60 s header limit applies and Fastify turns the whole-request limit off, so a body sent a
   * byte a second holds a connection for ever.
   */
  timeouts?: { headersMs: number; requestMs: number };
}

/**
 * Creates a Nest app on Fastify with the pino logger, graceful shutdown on SIGTERM/SIGINT
 * (module shutdown hooks run; bounded by shutdownTimeoutMs; exit status 0), and listens.
 */
export async function startNestApp(options: StartNestAppOptions): Promise<INestApplication> {
  // Node checks the limits on a timer (30 s by default); a check every second keeps them close.
  const timeouts = options.timeouts
    ? { headersTimeout: options.timeouts.headersMs, requestTimeout: options.timeouts.requestMs, connectionsCheckingInterval: 1_000 }
    : undefined;
  const adapter = new FastifyAdapter({
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.https ? { https: { ...options.https, ...timeouts } } : timeouts ? { http: timeouts } : {}),
    ...(timeouts ? { requestTimeout: timeouts.requestTimeout } : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Our own signal handling instead of enableShutdownHooks(): Nest re-raises the signal after
  // closing, so the process would end "killed by SIGTERM" rather than with status 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const logger = app.get(Logger);
      logger.log({ signal }, 'graceful shutdown started');
      setTimeout(() => {
        logger.error({ signal }, `graceful shutdown exceeded ${options.shutdownTimeoutMs} ms, exiting`);
        process.exit(1);
      }, options.shutdownTimeoutMs).unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ error: (error as Error).message }, 'graceful shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen(options.port, options.host);
  return app;
}
