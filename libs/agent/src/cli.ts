import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from './agent-process';
import { flagBool, parseFlags } from './cli-flags';
import { ConfigFieldError, parseDuration } from './config/duration';
import { loadAgentConfig } from './config/load-config';
import { AgentLogger } from './log/agent-logger';
import { sleep, VaultClient } from './vault/vault-client';

/** Exit status for a configuration that cannot be used (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

const AGENT_FLAGS = {
  config: 'list',
  'log-level': 'string',
  'log-format': 'string',
  address: 'string',
  'ca-cert': 'string',
  'ca-path': 'string',
  'client-cert': 'string',
  'client-key': 'string',
  'tls-skip-verify': 'bool',
  'tls-server-name': 'string',
  namespace: 'string',
  'exit-after-auth': 'bool',
  'token-file': 'string',
} as const;

const REVOKE_FLAGS = { sleep: 'string', address: 'string', 'ca-cert': 'string', 'ca-path': 'string', 'client-cert': 'string', 'client-key': 'string', 'tls-skip-verify': 'bool', 'tls-server-name': 'string', namespace: 'string', self: 'bool' } as const;

/**
 * `agent [flags]` runs the agent (Vault Agent's flags); `revoke-token -sleep=N -address=... -self`
 * is the injector's preStop hook. Returns the exit status.
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, stopSignal: Promise<void>): Promise<number> {
  const [command, ...args] = argv;
  const fallbackLog = new AgentLogger('info', env['VAULT_LOG_FORMAT'] === 'json' ? 'json' : 'standard');
  try {
    if (command === 'agent') return await agentCommand(args, env, stopSignal);
    if (command === 'revoke-token') return await revokeCommand(args, env, fallbackLog);
    throw new ConfigFieldError('command', `${JSON.stringify(command ?? '')} is not agent or revoke-token`);
  } catch (error) {
    if (error instanceof ConfigFieldError) {
      fallbackLog.error('invalid configuration', { error: error.message });
      return EXIT_CONFIG;
    }
    fallbackLog.error('agent failed', { error: (error as Error).message });
    return 1;
  }
}

async function agentCommand(args: readonly string[], env: NodeJS.ProcessEnv, stopSignal: Promise<void>): Promise<number> {
  const flags = parseFlags(args, AGENT_FLAGS);
  const one = (name: string) => flags.get(name)?.at(-1);
  const config = await loadAgentConfig(
    {
      configFiles: flags.get('config') ?? [],
      address: one('address'),
      caCert: one('ca-cert'),
      caPath: one('ca-path'),
      clientCert: one('client-cert'),
      clientKey: one('client-key'),
      tlsSkipVerify: flagBool(flags, 'tls-skip-verify'),
      tlsServerName: one('tls-server-name'),
      namespace: one('namespace'),
      logLevel: one('log-level'),
      logFormat: one('log-format'),
      exitAfterAuth: flagBool(flags, 'exit-after-auth'),
    },
    env,
  );
  // vault-k8s's ConfigMap mode passes the token file; without auto_auth it is the token to use.
  const tokenFile = one('token-file');
  if (tokenFile && !config.autoAuth) {
    config.autoAuth = { method: { type: 'token_file', mountPath: 'auth/token', minBackoffMs: 1000, maxBackoffMs: 300_000, exitOnErr: false, settings: { token_file_path: tokenFile } }, sinks: [] };
  }
  const log = new AgentLogger(config.logLevel ?? 'info', config.logFormat ?? 'standard');
  const outcome = await runAgent(config, log, { env, stopSignal });
  return outcome.exitCode;
}

/** `revoke-token -self`: revokes the agent's token (VAULT_TOKEN or ~/.vault-token, the sink in the agent's home). */
async function revokeCommand(args: readonly string[], env: NodeJS.ProcessEnv, log: AgentLogger): Promise<number> {
  const flags = parseFlags(args, REVOKE_FLAGS);
  const one = (name: string) => flags.get(name)?.at(-1);
  if (!flagBool(flags, 'self')) throw new ConfigFieldError('-self', 'revoke-token only revokes its own token (-self)');
  const wait = one('sleep');
  if (wait) await sleep(parseDuration('-sleep', /^\d+$/.test(wait) ? Number(wait) : wait));
  const config = await loadAgentConfig(
    { configFiles: [], address: one('address'), caCert: one('ca-cert'), caPath: one('ca-path'), clientCert: one('client-cert'), clientKey: one('client-key'), tlsSkipVerify: flagBool(flags, 'tls-skip-verify'), tlsServerName: one('tls-server-name'), namespace: one('namespace') },
    { ...env, VAULT_CONFIG: Buffer.from('{}').toString('base64') },
  );
  let token = env['VAULT_TOKEN'] ?? '';
  if (!token) {
    try {
      token = readFileSync(join(env['HOME'] || homedir(), '.vault-token'), 'utf8').trim();
    } catch (error) {
      log.error('no token to revoke', { error: (error as NodeJS.ErrnoException).code ?? String(error) });
      return 2;
    }
  }
  const client = new VaultClient(config.vault, { keepAlive: false });
  try {
    await client.call({ method: 'PUT', path: 'auth/token/revoke-self', token, body: {} });
    log.info('token revoked');
    return 0;
  } catch (error) {
    log.error('error revoking token', { error: (error as Error).message });
    return 2;
  } finally {
    client.close();
  }
}
