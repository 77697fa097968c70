import 'reflect-metadata';
import { loadConfigOrExit } from '@opzero/config';
import { runClustered, startNestApp } from '@opzero/observability';
import { AppModule } from './app.module';
import { ENV_PREFIX, consulGatewayConfigShape } from './config/consul-gateway.config';

const config = loadConfigOrExit(ENV_PREFIX, consulGatewayConfigShape);
void runClustered(config.WORKERS, async () => {
  await startNestApp({
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
