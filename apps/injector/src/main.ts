import 'reflect-metadata';
import type { Server } from 'node:https';
import { loadConfigOrExit } from '@opzero/config';
import { startNestApp } from '@opzero/observability';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ENV_PREFIX, injectorConfigShape } from './config/injector.config';
import { loadServingCertificate, reloadOnChange } from './tls/serving-certificate';

const config = loadConfigOrExit(ENV_PREFIX, injectorConfigShape);

async function main(): Promise<void> {
  const https = await loadServingCertificate(config.TLS_CERT_FILE, config.TLS_KEY_FILE);
  const app = await startNestApp({
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    https,
  });
  const logger = app.get(Logger);
  if (config.TLS_CERT_FILE) {
    reloadOnChange(app.getHttpServer() as Server, config.TLS_CERT_FILE, config.TLS_KEY_FILE, (error) =>
      logger.warn({ error: error.message }, 'serving certificate not reloaded; keeping the previous one'),
    );
  } else {
    logger.warn({}, 'INJECTOR_TLS_CERT_FILE unset: serving a generated self-signed certificate (local use only)');
  }
}

void main();
