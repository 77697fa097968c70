import type { AgentSpec } from './agent-spec';
import { secretDestination } from './secret-specs';

/** Where the agent keeps its pid and its auto-auth token (inside its home volume). */
export const PID_FILE = '/home/vault/.pid';
export const TOKEN_FILE = '/home/vault/.vault-token';

export const DEFAULT_MAP_TEMPLATE = (path: string) =>
  `{{ with secret "${path}" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}`;
export const DEFAULT_JSON_TEMPLATE = (path: string) => `{{ with secret "${path}" }}{{ .Data | toJSON }}\n{{ end }}`;

/** Vault Agent's JSON configuration as vault-k8s writes it (`agent.Config`); documented in docs/annotations.md. */
export interface AgentConfig {
  auto_auth: {
    method: {
      type: string;
      mount_path?: string;
      min_backoff?: string;
      max_backoff?: string;
      namespace?: string;
      config?: Record<string, unknown>;
      exit_on_err?: boolean;
    };
    sink: Array<{ type: 'file'; config: { path: string } }>;
  };
  exit_after_auth: boolean;
  pid_file: string;
  vault: {
    address: string;
    ca_cert?: string;
    ca_path?: string;
    tls_skip_verify?: boolean;
    client_cert?: string;
    client_key?: string;
    tls_server_name?: string;
  };
  template?: Array<{
    destination: string;
    contents?: string;
    left_delimiter: string;
    right_delimiter: string;
    command?: string;
    source?: string;
    perms?: string;
    error_on_missing_key?: boolean;
  }>;
  listener?: Array<{ type: 'tcp'; address: string; tls_disable: boolean; agent_api?: { enable_quit: boolean } }>;
  cache?: { use_auto_auth_token?: string };
  template_config?: {
    exit_on_retry_failure: boolean;
    static_secret_render_interval?: string;
    max_connections_per_host?: number;
    lease_renewal_threshold?: number;
  };
  disable_idle_connections?: string[];
  disable_keep_alives?: string[];
  telemetry?: Record<string, unknown>;
}

/** Drops the keys Go's `omitempty` would leave out (empty strings, false, 0, empty lists). */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item: unknown = value[key];
    if (item === undefined || item === '' || item === false || item === 0 || (Array.isArray(item) && item.length === 0)) continue;
    out[key] = item;
  }
  return out as T;
}

function sortedKeys(map: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The agent configuration for the init container (`init`) or the sidecar. */
export function buildAgentConfig(agent: AgentSpec, init: boolean): AgentConfig {
  const { vault } = agent;
  const sinks: AgentConfig['auto_auth']['sink'] = [{ type: 'file', config: { path: TOKEN_FILE } }];
  if (agent.injectToken) sinks.push({ type: 'file', config: { path: `${agent.annotations['vault.hashicorp.com/secret-volume-path']}/token` } });
  const config: AgentConfig = {
    auto_auth: {
      method: compact({
        type: vault.authType,
        mount_path: vault.authPath,
        min_backoff: vault.authMinBackoff,
        max_backoff: vault.authMaxBackoff,
        namespace: vault.namespace,
        config: Object.keys(vault.authConfig).length > 0 ? sortedKeys(vault.authConfig) : undefined,
        exit_on_err: agent.autoAuthExitOnError,
      }),
      sink: sinks,
    },
    exit_after_auth: init,
    pid_file: PID_FILE,
    vault: compact({
      address: vault.address,
      ca_cert: vault.caCert,
      ca_path: vault.caKey,
      tls_skip_verify: vault.tlsSkipVerify,
      client_cert: vault.clientCert,
      client_key: vault.clientKey,
      tls_server_name: vault.tlsServerName,
    }),
  };
  config.vault.address = vault.address;
  const templates = agent.secrets.map((secret) => {
    let contents = secret.template;
    if (secret.templateFile === '' && contents === '') {
      contents = agent.defaultTemplate === 'json' ? DEFAULT_JSON_TEMPLATE(secret.path) : DEFAULT_MAP_TEMPLATE(secret.path);
    }
    const template = compact({
      destination: secretDestination(secret),
      contents,
      left_delimiter: secret.leftDelimiter || '{{',
      right_delimiter: secret.rightDelimiter || '}}',
      command: secret.command,
      source: secret.templateFile,
      perms: secret.filePermission,
      error_on_missing_key: secret.errMissingKey,
    });
    template.destination = secretDestination(secret);
    return template;
  });
  if (templates.length > 0) config.template = templates;
  const listener = () => [{ type: 'tcp' as const, address: `127.0.0.1:${agent.cache.listenerPort}`, tls_disable: true }];
  if (agent.cache.enable && !agent.prePopulateOnly && !init) {
    config.listener = listener();
    config.cache = compact({ use_auto_auth_token: agent.cache.useAutoAuthToken });
  }
  // The quit endpoint lives on a listener, and a listener needs a cache stanza.
  if (agent.enableQuit) {
    config.listener ??= listener();
    config.listener[0]!.agent_api = { enable_quit: true };
    config.cache ??= {};
  }
  config.template_config = compact({
    exit_on_retry_failure: agent.templateConfig.exitOnRetryFailure,
    static_secret_render_interval: agent.templateConfig.staticSecretRenderInterval,
    max_connections_per_host: Number(agent.templateConfig.maxConnectionsPerHost),
    lease_renewal_threshold: agent.templateConfig.leaseRenewalThreshold,
  });
  config.template_config.exit_on_retry_failure = agent.templateConfig.exitOnRetryFailure;
  if (agent.disableIdleConnections.length > 0) config.disable_idle_connections = agent.disableIdleConnections;
  if (agent.disableKeepAlives.length > 0) config.disable_keep_alives = agent.disableKeepAlives;
  if (vault.telemetry) config.telemetry = vault.telemetry;
  return config;
}

/** The VAULT_CONFIG value: the configuration as base64 of its JSON, as vault-k8s passes it. */
export function encodeAgentConfig(config: AgentConfig): string {
  return Buffer.from(JSON.stringify(config)).toString('base64');
}

/** Reads a VAULT_CONFIG value back (the agent-renderer's side). */
export function decodeAgentConfig(value: string): AgentConfig {
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as AgentConfig;
}
