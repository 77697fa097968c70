import { ConfigSection } from './config-section';
import { ConfigFieldError } from './duration';

/** Auth methods this agent implements; any other `auto_auth.method.type` is refused by name. */
export const AUTH_METHODS = ['kubernetes', 'jwt', 'approle', 'token_file'] as const;
export type AuthMethodType = (typeof AUTH_METHODS)[number];

export interface AuthMethodConfig {
  type: AuthMethodType;
  mountPath: string;
  namespace?: string;
  minBackoffMs: number;
  maxBackoffMs: number;
  exitOnErr: boolean;
  /** Method-specific settings, validated per method. */
  settings: Record<string, string | boolean>;
}

export interface SinkConfig {
  path: string;
  mode: number;
}

export interface VaultConnectionConfig {
  address: string;
  caCert?: string;
  caPath?: string;
  caCertBytes?: string;
  clientCert?: string;
  clientKey?: string;
  tlsSkipVerify: boolean;
  tlsServerName?: string;
  namespace?: string;
  /** Template/cache retries (`vault.retry.num_retries`: 0 means 12 as in Vault Agent, -1 none). */
  templateRetries: number;
  /** HTTP client retries on 5xx and connection errors (VAULT_MAX_RETRIES, default 2). */
  maxRetries: number;
  timeoutMs: number;
}

export interface TemplateConfig {
  destination: string;
  contents?: string;
  source?: string;
  leftDelimiter?: string;
  rightDelimiter?: string;
  command?: string[];
  commandTimeoutMs: number;
  perms?: number;
  errorOnMissingKey: boolean;
}

export interface ListenerConfig {
  address: string;
  enableQuit: boolean;
}

export type LogFormat = 'standard' | 'json';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The agent's whole configuration, validated. */
export interface AgentConfig {
  exitAfterAuth: boolean;
  pidFile?: string;
  vault: VaultConnectionConfig;
  autoAuth?: { method: AuthMethodConfig; sinks: SinkConfig[] };
  templates: TemplateConfig[];
  templateConfig: { exitOnRetryFailure: boolean; staticSecretRenderIntervalMs: number; leaseRenewalThreshold: number; maxConnectionsPerHost: number };
  listeners: ListenerConfig[];
  /** Present when a `cache` stanza exists: the listener proxies Vault. */
  cache?: { useAutoAuthToken: 'true' | 'false' | 'force' };
  disableIdleConnections: string[];
  disableKeepAlives: string[];
  prometheusRetentionMs: number;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
}

const DEFAULT_STATIC_INTERVAL_MS = 5 * 60_000;
const KEEPALIVE_SCOPES = ['auto-auth', 'caching', 'templating', 'proxying'];

/** Builds the validated configuration from Vault Agent's JSON form (or HCL converted to it). */
export function parseAgentConfig(raw: unknown): AgentConfig {
  const root = ConfigSection.of('', raw);
  root.refuse(['api_proxy', 'env_template', 'exec', 'auto_auth_token_file', 'exit_after_auth_on_error'], 'process supervisor and API proxy modes');
  const vault = parseVault(root.section('vault'));
  const autoAuthSection = root.section('auto_auth');
  const config: AgentConfig = {
    exitAfterAuth: root.bool('exit_after_auth', false),
    pidFile: root.string('pid_file') || undefined,
    vault,
    autoAuth: autoAuthSection ? parseAutoAuth(autoAuthSection) : undefined,
    templates: root.sections('template').map(parseTemplate),
    templateConfig: parseTemplateConfig(root.section('template_config')),
    listeners: root.sections('listener').map(parseListener),
    cache: parseCache(root.section('cache')),
    disableIdleConnections: scopes(root, 'disable_idle_connections'),
    disableKeepAlives: scopes(root, 'disable_keep_alives'),
    prometheusRetentionMs: parseTelemetry(root.section('telemetry')),
    logLevel: logLevel('log_level', root.string('log_level')),
    logFormat: logFormat('log_format', root.string('log_format')),
  };
  root.done();
  if (config.listeners.length > 0 && !config.cache) throw new ConfigFieldError('listener', 'a listener needs a cache stanza, as Vault Agent requires');
  return config;
}

function scopes(root: ConfigSection, key: string): string[] {
  const list = root.stringList(key);
  for (const item of list) {
    if (!KEEPALIVE_SCOPES.includes(item)) throw new ConfigFieldError(key, `${JSON.stringify(item)} is not one of ${KEEPALIVE_SCOPES.join(', ')}`);
  }
  return list;
}

function parseVault(s: ConfigSection | undefined): VaultConnectionConfig {
  const v = s ?? ConfigSection.of('vault', {});
  v.refuse(['tls_min_version', 'tls_max_version', 'client_cert_bytes'], 'TLS version pinning');
  const retry = v.section('retry');
  // Vault Agent: 0 means the default (12), -1 disables retries.
  const retries = retry ? retry.number('num_retries', 0) : 0;
  const templateRetries = retries === 0 ? 12 : Math.max(retries, 0);
  retry?.done();
  const config: VaultConnectionConfig = {
    address: v.string('address') ?? '',
    caCert: v.string('ca_cert') || undefined,
    caPath: v.string('ca_path') || undefined,
    clientCert: v.string('client_cert') || undefined,
    clientKey: v.string('client_key') || undefined,
    tlsSkipVerify: v.bool('tls_skip_verify', false),
    tlsServerName: v.string('tls_server_name') || undefined,
    namespace: v.string('namespace') || undefined,
    templateRetries,
    maxRetries: 2,
    timeoutMs: 60_000,
  };
  v.done();
  return config;
}

const METHOD_SETTINGS: Record<AuthMethodType, Record<string, 'string' | 'bool'>> = {
  kubernetes: { role: 'string', token_path: 'string' },
  jwt: { role: 'string', path: 'string', remove_jwt_after_reading: 'bool', remove_jwt_follows_symlinks: 'bool' },
  approle: { role_id_file_path: 'string', secret_id_file_path: 'string', remove_secret_id_file_after_reading: 'bool' },
  token_file: { token_file_path: 'string' },
};

const REQUIRED_SETTINGS: Record<AuthMethodType, string[]> = {
  kubernetes: ['role'],
  jwt: ['role', 'path'],
  approle: ['role_id_file_path'],
  token_file: ['token_file_path'],
};

function parseAutoAuth(s: ConfigSection): { method: AuthMethodConfig; sinks: SinkConfig[] } {
  const raw = s.raw_('method');
  if (raw === undefined || (Array.isArray(raw) && raw.length !== 1)) throw new ConfigFieldError(s.field('method'), 'exactly one auth method is required');
  const method = parseMethod(ConfigSection.of(s.field('method'), raw));
  const sinks = s.sections('sink').map((sink) => {
    const type = sink.string('type');
    if (type !== 'file') throw new ConfigFieldError(sink.field('type'), `sink type ${JSON.stringify(type)} is not supported (only file)`);
    sink.refuse(['wrap_ttl', 'dh_type', 'dh_path', 'derive_key', 'aad', 'aad_env_var'], 'response-wrapped and encrypted sinks');
    const c = sink.section('config') ?? ConfigSection.of(sink.field('config'), {});
    const path = c.string('path');
    if (!path) throw new ConfigFieldError(c.field('path'), 'is required');
    const mode = c.has('mode') ? c.number('mode', 0o640) : 0o640;
    c.done();
    sink.done();
    return { path, mode };
  });
  s.refuse(['enable_reauth_on_new_credentials'], 'credential watching');
  s.done();
  return { method, sinks };
}

function parseMethod(m: ConfigSection): AuthMethodConfig {
  const type = m.string('type') ?? '';
  if (!(AUTH_METHODS as readonly string[]).includes(type)) {
    throw new ConfigFieldError(m.field('type'), `auth method ${JSON.stringify(type)} is not supported (supported: ${AUTH_METHODS.join(', ')})`);
  }
  const methodType = type as AuthMethodType;
  m.refuse(['wrap_ttl', 'max_retries'], 'wrapped auth responses');
  const minBackoffMs = m.duration('min_backoff', 1000);
  const config: AuthMethodConfig = {
    type: methodType,
    mountPath: (m.string('mount_path') || `auth/${type}`).replace(/^\/+|\/+$/g, ''),
    namespace: m.string('namespace') || undefined,
    minBackoffMs,
    maxBackoffMs: Math.max(m.duration('max_backoff', 5 * 60_000), minBackoffMs),
    exitOnErr: m.bool('exit_on_err', false),
    settings: {},
  };
  const c = m.section('config') ?? ConfigSection.of(m.field('config'), {});
  for (const [key, kind] of Object.entries(METHOD_SETTINGS[methodType])) {
    if (!c.has(key)) continue;
    config.settings[key] = kind === 'bool' ? c.bool(key, false) : (c.string(key) ?? '');
  }
  c.done();
  m.done();
  for (const key of REQUIRED_SETTINGS[methodType]) {
    if (!config.settings[key]) throw new ConfigFieldError(`${m.field('config')}.${key}`, `is required for ${type}`);
  }
  return config;
}

function parseTemplate(t: ConfigSection): TemplateConfig {
  t.refuse(['backup', 'uid', 'user', 'gid', 'group', 'wait', 'sandbox_path', 'function_denylist', 'create_dest_dirs', 'exec'], 'file ownership, backups and exec blocks');
  const destination = t.string('destination');
  if (!destination) throw new ConfigFieldError(t.field('destination'), 'is required');
  const contents = t.string('contents');
  const source = t.string('source') || undefined;
  if (contents && source) throw new ConfigFieldError(t.field('source'), 'contents and source are mutually exclusive');
  const perms = t.string('perms');
  if (perms !== undefined && perms !== '' && !/^0?[0-7]{3,4}$/.test(perms)) throw new ConfigFieldError(t.field('perms'), `${JSON.stringify(perms)} is not an octal file mode`);
  const command = t.raw_('command');
  const config: TemplateConfig = {
    destination,
    contents: contents ?? undefined,
    source,
    leftDelimiter: t.string('left_delimiter') || undefined,
    rightDelimiter: t.string('right_delimiter') || undefined,
    command: parseCommand(t.field('command'), command),
    commandTimeoutMs: t.duration('command_timeout', 30_000),
    perms: perms ? parseInt(perms, 8) : undefined,
    errorOnMissingKey: t.bool('error_on_missing_key', false),
  };
  t.done();
  return config;
}

function parseCommand(field: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0) return value as string[];
  throw new ConfigFieldError(field, 'must be a string or a list of strings');
}

function parseTemplateConfig(s: ConfigSection | undefined): AgentConfig['templateConfig'] {
  const t = s ?? ConfigSection.of('template_config', {});
  const config = {
    exitOnRetryFailure: t.bool('exit_on_retry_failure', false),
    staticSecretRenderIntervalMs: t.duration('static_secret_render_interval', DEFAULT_STATIC_INTERVAL_MS) || DEFAULT_STATIC_INTERVAL_MS,
    leaseRenewalThreshold: t.number('lease_renewal_threshold', 0.9),
    maxConnectionsPerHost: t.number('max_connections_per_host', 10),
  };
  if (!(config.leaseRenewalThreshold > 0 && config.leaseRenewalThreshold <= 1)) throw new ConfigFieldError(t.field('lease_renewal_threshold'), 'must be in (0, 1]');
  t.done();
  return config;
}

function parseListener(l: ConfigSection): ListenerConfig {
  const type = l.string('type') ?? 'tcp';
  if (type !== 'tcp') throw new ConfigFieldError(l.field('type'), `listener type ${JSON.stringify(type)} is not supported (only tcp)`);
  const address = l.string('address') ?? '127.0.0.1:8200';
  if (!l.bool('tls_disable', false)) throw new ConfigFieldError(l.field('tls_disable'), 'TLS listeners are not supported; the listener serves 127.0.0.1 with tls_disable = true');
  l.refuse(['tls_cert_file', 'tls_key_file', 'role', 'proxy_api'], 'TLS and metrics-only listeners');
  const api = l.section('agent_api');
  const enableQuit = api ? api.bool('enable_quit', false) : false;
  api?.done();
  l.done();
  return { address, enableQuit };
}

function parseCache(s: ConfigSection | undefined): AgentConfig['cache'] {
  if (!s) return undefined;
  s.refuse(['persist'], 'the persistent cache; the injector refuses agent-cache-enable with an init container');
  s.refuse(['cache_static_secrets', 'static_secret_token_capability_refresh_interval', 'disable_caching_dynamic_secrets'], 'response caching');
  const raw = s.raw_('use_auto_auth_token');
  const value = raw === undefined ? 'false' : String(raw);
  if (!['true', 'false', 'force'].includes(value)) throw new ConfigFieldError(s.field('use_auto_auth_token'), `${JSON.stringify(raw)} is not true, false or force`);
  s.done();
  return { useAutoAuthToken: value as 'true' | 'false' | 'force' };
}

function parseTelemetry(s: ConfigSection | undefined): number {
  if (!s) return 0;
  const retention = s.duration('prometheus_retention_time', 0);
  s.bool('disable_hostname', false);
  s.done();
  return retention;
}

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Vault's log level names (`warning` and `err` too), or a ConfigFieldError naming the field. */
export function logLevel(field: string, value: string | undefined): LogLevel | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase().trim();
  const mapped = v === 'warning' ? 'warn' : v === 'err' ? 'error' : v;
  if (!(LEVELS as readonly string[]).includes(mapped)) throw new ConfigFieldError(field, `${JSON.stringify(value)} is not one of ${LEVELS.join(', ')}`);
  return mapped as LogLevel;
}

/** `standard` or `json`, or a ConfigFieldError naming the field. */
export function logFormat(field: string, value: string | undefined): LogFormat | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== 'standard' && value !== 'json') throw new ConfigFieldError(field, `${JSON.stringify(value)} is not standard or json`);
  return value;
}
