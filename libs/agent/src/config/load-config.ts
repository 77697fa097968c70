import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { parseAgentConfig, logFormat, logLevel, type AgentConfig } from './agent-config';
import { ConfigFieldError, parseDuration } from './duration';
import { normalizeHcl } from './hcl-normalize';

/** Command-line settings of `agent`; each beats its VAULT_* variable, which beats the file. */
export interface AgentFlags {
  configFiles: string[];
  address?: string;
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsSkipVerify?: boolean;
  tlsServerName?: string;
  namespace?: string;
  logLevel?: string;
  logFormat?: string;
  exitAfterAuth?: boolean;
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The configuration from `-config=FILE` (HCL or JSON) or `VAULT_CONFIG` (base64 JSON, as the
 * injector writes it), with Vault Agent's precedence: flag, then environment, then file.
 */
export async function loadAgentConfig(flags: AgentFlags, env: NodeJS.ProcessEnv): Promise<AgentConfig> {
  const raw = await readRaw(flags, env);
  const config = parseAgentConfig(raw);
  applyOverrides(config, flags, env);
  if (!config.vault.address) config.vault.address = 'https://127.0.0.1:8200';
  if (!/^https?:\/\/[^/]+/.test(config.vault.address)) throw new ConfigFieldError('vault.address', `${JSON.stringify(config.vault.address)} is not an http(s) URL`);
  return config;
}

async function readRaw(flags: AgentFlags, env: NodeJS.ProcessEnv): Promise<unknown> {
  if (flags.configFiles.length > 1) throw new ConfigFieldError('-config', 'only one configuration file is supported');
  const file = flags.configFiles[0];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigFieldError('-config', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (text.length > MAX_CONFIG_BYTES) throw new ConfigFieldError('-config', 'file larger than 4 MiB');
    if (/^\s*\{/.test(text)) return parseJson('-config', text);
    return parseHcl(file, text);
  }
  const encoded = env['VAULT_CONFIG'];
  if (!encoded) throw new ConfigFieldError('VAULT_CONFIG', 'neither -config=FILE nor VAULT_CONFIG is set');
  if (encoded.length > MAX_CONFIG_BYTES || !/^[A-Za-z0-9+/=\s]*$/.test(encoded)) throw new ConfigFieldError('VAULT_CONFIG', 'is not base64');
  return parseJson('VAULT_CONFIG', Buffer.from(encoded, 'base64').toString('utf8'));
}

function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFieldError(field, `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * HCL through @cdktf/hcl2json, loaded only here: a Go WebAssembly module. Compiled with V8's
 * baseline compiler only (Liftoff): it runs once, and optimising it cost 0.6 s CPU and 130 MiB
 * peak here against 0.2 s and 80 MiB.
 */
async function parseHcl(file: string, text: string): Promise<unknown> {
  setFlagsFromString('--liftoff-only');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('@cdktf/hcl2json') as { parse: (name: string, text: string) => Promise<Record<string, unknown>> };
  try {
    return normalizeHcl(await parse(file, text));
  } catch (error) {
    throw new ConfigFieldError('-config', `${file} is not valid HCL: ${(error as Error).message}`);
  }
}

function pick(flag: string | undefined, env: string | undefined, file: string | undefined): string | undefined {
  return flag || env || file || undefined;
}

function applyOverrides(config: AgentConfig, flags: AgentFlags, env: NodeJS.ProcessEnv): void {
  const v = config.vault;
  v.address = pick(flags.address, env['VAULT_ADDR'], v.address) ?? '';
  v.caCert = pick(flags.caCert, env['VAULT_CACERT'], v.caCert);
  v.caPath = pick(flags.caPath, env['VAULT_CAPATH'], v.caPath);
  v.caCertBytes = env['VAULT_CACERT_BYTES'] || undefined;
  v.clientCert = pick(flags.clientCert, env['VAULT_CLIENT_CERT'], v.clientCert);
  v.clientKey = pick(flags.clientKey, env['VAULT_CLIENT_KEY'], v.clientKey);
  v.tlsServerName = pick(flags.tlsServerName, env['VAULT_TLS_SERVER_NAME'], v.tlsServerName);
  v.namespace = pick(flags.namespace, env['VAULT_NAMESPACE'], v.namespace);
  if (flags.tlsSkipVerify !== undefined) v.tlsSkipVerify = flags.tlsSkipVerify;
  else if (env['VAULT_SKIP_VERIFY']) v.tlsSkipVerify = envBool('VAULT_SKIP_VERIFY', env['VAULT_SKIP_VERIFY']);
  if (env['VAULT_MAX_RETRIES']) {
    const n = Number(env['VAULT_MAX_RETRIES']);
    if (!Number.isInteger(n) || n < 0 || n > 100) throw new ConfigFieldError('VAULT_MAX_RETRIES', 'must be an integer from 0 to 100');
    v.maxRetries = n;
  }
  if (env['VAULT_CLIENT_TIMEOUT']) v.timeoutMs = parseDuration('VAULT_CLIENT_TIMEOUT', env['VAULT_CLIENT_TIMEOUT']);
  if (flags.exitAfterAuth) config.exitAfterAuth = true;
  config.logLevel = logLevel('-log-level', flags.logLevel) ?? logLevel('VAULT_LOG_LEVEL', env['VAULT_LOG_LEVEL']) ?? config.logLevel;
  config.logFormat = logFormat('-log-format', flags.logFormat) ?? logFormat('VAULT_LOG_FORMAT', env['VAULT_LOG_FORMAT']) ?? config.logFormat;
}

function envBool(name: string, value: string): boolean {
  if (/^(1|t|true|TRUE|True)$/.test(value)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(value)) return false;
  throw new ConfigFieldError(name, `${JSON.stringify(value)} is not a boolean`);
}
