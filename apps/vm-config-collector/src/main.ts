import 'reflect-metadata';
import { loadConfigOrExit } from '@opzero/config';
import { startNestApp } from '@opzero/observability';
import { AppModule } from './app.module';
import { ENV_PREFIX, vmConfigCollectorConfigShape } from './config/vm-config-collector.config';

const config = loadConfigOrExit(ENV_PREFIX, vmConfigCollectorConfigShape);
void startNestApp({
  module: AppModule.forRoot(config),
  host: config.HOST,
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
