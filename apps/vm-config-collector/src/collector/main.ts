import { exitOnConfigError } from '@opzero/config';
import { ConsulClient } from '@opzero/consul';
import { collectAndWrite, parseCollectorArgs } from '@opzero/vm-config';
import { collectFacts } from '@opzero/vm-facts';
import { ENV_PREFIX } from '../config/env-prefix';
import { loadCollectorConfig } from '../config/collector.config';

/** The collector CLI: `--once` (default), `--interval <seconds>`, `--print` (facts to stdout, nothing sent). */
async function main(): Promise<void> {
  let args;
  try {
    args = parseCollectorArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(64);
  }
  const config = exitOnConfigError(() => loadCollectorConfig(ENV_PREFIX));
  const collect = () =>
    collectFacts({ pluginsDir: config.PLUGINS_DIR, pluginTimeoutMs: config.PLUGIN_TIMEOUT_MS, ...(config.OHAI_INPUT ? { ohaiInput: config.OHAI_INPUT } : {}), version: '1' });
  if (args.print) {
    process.stdout.write(`${JSON.stringify(await collect(), null, 2)}\n`);
    return;
  }
  const consul = new ConsulClient({ address: config.CONSUL_ADDRESS, ...(config.CONSUL_TOKEN ? { token: config.CONSUL_TOKEN } : {}) });
  const runOnce = async () => {
    try {
      const report = await collectAndWrite({ consul, collect, node: config.NODE_NAME, address: config.NODE_ADDRESS, usageMaxAgeMs: config.USAGE_MAX_AGE_SECONDS * 1000 });
      process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'facts written', ...report })}\n`);
      return true;
    } catch (error) {
      // Consul errors never carry the token (libs/consul); the message names the request.
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'collection failed', error: (error as Error).message })}\n`);
      return false;
    }
  };
  if (args.intervalSeconds === null) {
    const ok = await runOnce();
    consul.close();
    process.exit(ok ? 0 : 1);
  }
  for (;;) {
    await runOnce();
    await new Promise((resolve) => setTimeout(resolve, args.intervalSeconds! * 1000));
  }
}

void main();
