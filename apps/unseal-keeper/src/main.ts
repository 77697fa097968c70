import 'reflect-metadata';
import { loadConfigOrExit } from '@opzero/config';
import { startNestApp } from '@opzero/observability';
import { AppModule } from './app.module';
import { ENV_PREFIX, unsealKeeperConfigShape } from './config/unseal-keeper.config';

const config = loadConfigOrExit(ENV_PREFIX, unsealKeeperConfigShape);
void startNestApp({
  module: AppModule.forRoot(config),
  host: config.HOST,
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
