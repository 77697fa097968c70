import 'reflect-metadata';
import { startNestApp } from '@opzero/observability';
import { AppModule } from './app.module';
import { initCommand, migrateCommand } from './commands/one-shot.commands';
import { loadUnsealKeeperConfigOrExit } from './config/unseal-keeper.config';

// `serve` (default) keeps every node unsealed; `init` and `migrate` run once and exit.
const command = process.argv[2] ?? 'serve';
const commands: Record<string, (config: ReturnType<typeof loadUnsealKeeperConfigOrExit>) => Promise<void>> = {
  init: initCommand,
  migrate: migrateCommand,
};

if (command !== 'serve' && !commands[command]) {
  process.stderr.write(`unknown command "${command}": use serve (default), init or migrate\n`);
  process.exit(64);
}
const config = loadUnsealKeeperConfigOrExit();
if (command === 'serve') {
  void startNestApp({ module: AppModule.forRoot(config), host: config.HOST, port: config.PORT, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
} else {
  commands[command]!(config).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: `${command} failed: ${(error as Error).message}` })}\n`);
      process.exit(1);
    },
  );
}
