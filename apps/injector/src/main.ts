import 'reflect-metadata';
import { loadConfigOrExit } from '@opzero/config';
import { startNestApp } from '@opzero/observability';
import { AppModule } from './app.module';
import { ENV_PREFIX, injectorConfigShape } from './config/injector.config';

const config = loadConfigOrExit(ENV_PREFIX, injectorConfigShape);
void startNestApp({
  module: AppModule.forRoot(config),
  host: config.HOST,
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
