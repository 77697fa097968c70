import 'reflect-metadata';
import type { Server } from 'node:https';
import { startNestApp } from '@opzero/observability';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadInjectorConfigOrExit } from './config/injector.config';
import { loadServingCertificate, reloadOnChange } from './tls/serving-certificate';

const config = loadInjectorConfigOrExit();

/**
 * One injector process serving HTTPS: what main.ts runs in each cluster worker, or in its own
 * process with one worker. The configuration is read (exit 78 naming a bad variable) here.
 */
async function main(): Promise<void> {
  const autoCertificate = config.TLS_AUTO ? await startAutoCertificate() : undefined;
  const https = autoCertificate?.keyPair() ?? (await loadServingCertificate(config.TLS_CERT_FILE, config.TLS_KEY_FILE));
  const app = await startNestApp({
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    https,
    timeouts: { headersMs: config.HEADERS_TIMEOUT_MS, requestMs: config.REQUEST_TIMEOUT_MS },
  });
  const logger = app.get(Logger);
  const server = app.getHttpServer() as Server;
  if (autoCertificate) {
    // Not awaited: admission is served while the bundle write is retried in the background.
    void autoCertificate.start(server, logger);
  } else if (config.TLS_CERT_FILE) {
    reloadOnChange(server, config.TLS_CERT_FILE, config.TLS_KEY_FILE, (error) =>
      logger.warn({ error: error.message }, 'serving certificate not reloaded; keeping the previous one', 'TLS'),
    );
  } else {
    logger.warn({}, 'INJECTOR_TLS_CERT_FILE unset: serving a generated self-signed certificate (local use only)', 'TLS');
  }
}

/**
 * Auto TLS, loaded only when asked for: the Kubernetes client it needs holds tens of MB in every
 * process, and most installations take their certificate from files.
 */
async function startAutoCertificate() {
  const { AutoCertificate, clientNodeWebhookConfigurations } = await import('./tls/auto-certificate');
  return AutoCertificate.create({
    hosts: config.TLS_AUTO_HOSTS,
    validityHours: config.TLS_AUTO_VALIDITY_HOURS,
    caValidityHours: config.TLS_AUTO_CA_VALIDITY_HOURS,
    webhookConfigName: config.WEBHOOK_CONFIG_NAME,
    configurations: () => clientNodeWebhookConfigurations(),
  });
}

void main();
