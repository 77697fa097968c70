/**
 * Pod annotation keys read by the injector: every key vault-k8s v1.7.6 reads
 * (`agent-inject/agent/annotations.go`), same spelling and meaning, plus opzero's own under
 * `opzero.io/`. They are public API: teams move from vault-k8s with these annotations unchanged.
 */
const v = (name: string) => `vault.hashicorp.com/${name}` as const;

// Switches and status.
/** `true` asks for injection; absent or false leaves the pod alone. */
export const AGENT_INJECT = v('agent-inject');
/** Set to `injected` after mutation; a pod that carries it is never mutated again. */
export const AGENT_INJECT_STATUS = v('agent-inject-status');
/** Add the init container that renders secrets before the app starts (default true). */
export const AGENT_PRE_POPULATE = v('agent-pre-populate');
/** Only the init container; no sidecar (default false). */
export const AGENT_PRE_POPULATE_ONLY = v('agent-pre-populate-only');
/** Put the agent init container before the pod's other init containers (default false). */
export const AGENT_INIT_FIRST = v('agent-init-first');
/** Comma-separated containers that get the secrets volume (default all containers). */
export const AGENT_INJECT_CONTAINERS = v('agent-inject-containers');
/** Also write the auto-auth token to `<secret-volume-path>/token` (default false). */
export const AGENT_INJECT_TOKEN = v('agent-inject-token');
/** Sidecar revokes its token on shutdown (default false). */
export const AGENT_REVOKE_ON_SHUTDOWN = v('agent-revoke-on-shutdown');
/** Seconds the pre-stop hook sleeps before revoking the token (default 5). */
export const AGENT_REVOKE_GRACE = v('agent-revoke-grace');
/** Enable the agent's /agent/v1/quit endpoint on its local listener (default false). */
export const AGENT_ENABLE_QUIT = v('agent-enable-quit');
/** Set `shareProcessNamespace` on the pod (only when the init container is injected). */
export const AGENT_SHARE_PROCESS_NAMESPACE = v('agent-share-process-namespace');

// Per-secret families: `<prefix>-<NAME>`.
/** `agent-inject-secret-NAME: <vault path>` renders that secret to `<volume>/NAME`. */
export const AGENT_INJECT_SECRET = v('agent-inject-secret');
/** `agent-inject-template-NAME`: template text for NAME. */
export const AGENT_INJECT_TEMPLATE = v('agent-inject-template');
/** `agent-inject-template-file-NAME`: template file path (inside the agent) for NAME. */
export const AGENT_INJECT_TEMPLATE_FILE = v('agent-inject-template-file');
/** `agent-inject-file-NAME`: file name (relative to the secrets volume) for NAME. */
export const AGENT_INJECT_FILE = v('agent-inject-file');
/** `agent-inject-perms-NAME`: octal file mode for NAME. */
export const AGENT_INJECT_PERMS = v('agent-inject-perms');
/** `agent-inject-command-NAME`: command run after NAME is rendered. */
export const AGENT_INJECT_COMMAND = v('agent-inject-command');
/** `agent-template-left-delim-NAME`: left template delimiter for NAME (default `{{`). */
export const AGENT_TEMPLATE_LEFT_DELIM = v('agent-template-left-delim');
/** `agent-template-right-delim-NAME`: right template delimiter for NAME (default `}}`). */
export const AGENT_TEMPLATE_RIGHT_DELIM = v('agent-template-right-delim');
/** `error-on-missing-key-NAME`: fail rendering NAME on a missing map key (default false). */
export const ERROR_ON_MISSING_KEY = v('error-on-missing-key');
/** Keep the case of secret NAMEs (global, or `-NAME` per secret); default lower-cases them. */
export const PRESERVE_SECRET_CASE = v('preserve-secret-case');
/** Mount path of the secrets volume (global, or `-NAME` for an extra volume per secret). */
export const SECRET_VOLUME_PATH = v('secret-volume-path');
/** Default template when NAME has none: `map` or `json` (default from the injector, `map`). */
export const AGENT_INJECT_DEFAULT_TEMPLATE = v('agent-inject-default-template');

// The agent container.
/** Agent image (default: the injector's configured agent image). */
export const AGENT_IMAGE = v('agent-image');
/** Namespace the request came from; set by the injector when absent. */
export const AGENT_REQUEST_NAMESPACE = v('agent-request-namespace');
/** ConfigMap holding a full agent configuration (config.hcl / config-init.hcl). */
export const AGENT_CONFIGMAP = v('agent-configmap');
/** Secret mounted at /vault/custom in the agent containers. */
export const AGENT_EXTRA_SECRET = v('agent-extra-secret');
/** Container (or init container) whose volume mounts are copied into the agent containers. */
export const AGENT_COPY_VOLUME_MOUNTS = v('agent-copy-volume-mounts');
/** JSON patch (RFC 6902) applied to the sidecar container. */
export const AGENT_JSON_PATCH = v('agent-json-patch');
/** JSON patch (RFC 6902) applied to the init container. */
export const AGENT_INIT_JSON_PATCH = v('agent-init-json-patch');
/** CPU limit of the agent containers (default 500m). */
export const AGENT_LIMITS_CPU = v('agent-limits-cpu');
/** Memory limit of the agent containers (default 128Mi). */
export const AGENT_LIMITS_MEM = v('agent-limits-mem');
/** Ephemeral storage limit of the agent containers (default unset). */
export const AGENT_LIMITS_EPHEMERAL = v('agent-limits-ephemeral');
/** CPU request of the agent containers (default 250m). */
export const AGENT_REQUESTS_CPU = v('agent-requests-cpu');
/** Memory request of the agent containers (default 64Mi). */
export const AGENT_REQUESTS_MEM = v('agent-requests-mem');
/** Ephemeral storage request of the agent containers (default unset). */
export const AGENT_REQUESTS_EPHEMERAL = v('agent-requests-ephemeral');
/** User id of the agent containers (default 100). */
export const AGENT_RUN_AS_USER = v('agent-run-as-user');
/** Group id of the agent containers (default 1000). */
export const AGENT_RUN_AS_GROUP = v('agent-run-as-group');
/** Run the agent as the first app container's runAsUser (default false). */
export const AGENT_RUN_AS_SAME_USER = v('agent-run-as-same-user');
/** Set the hardened securityContext on the agent containers (default true). */
export const AGENT_SET_SECURITY_CONTEXT = v('agent-set-security-context');
/** Projected volume holding the service account token the agent logs in with. */
export const AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME = v('agent-service-account-token-volume-name');

// Vault connection and TLS.
/** Vault address (default: the injector's). */
export const SERVICE = v('service');
/** HTTPS proxy for the agent's Vault traffic. */
export const PROXY_ADDRESS = v('proxy-address');
/** Vault Enterprise namespace. */
export const NAMESPACE = v('namespace');
/** Skip verifying Vault's certificate (default false). */
export const TLS_SKIP_VERIFY = v('tls-skip-verify');
/** Secret with TLS material, mounted at /vault/tls. */
export const TLS_SECRET = v('tls-secret');
/** Server name to verify Vault's certificate against. */
export const TLS_SERVER_NAME = v('tls-server-name');
/** CA certificate file for Vault's certificate. */
export const CA_CERT = v('ca-cert');
/** CA directory (vault-k8s calls it ca-key; it becomes ca_path). */
export const CA_KEY = v('ca-key');
/** Client certificate file for TLS to Vault. */
export const CLIENT_CERT = v('client-cert');
/** Client key file for TLS to Vault. */
export const CLIENT_KEY = v('client-key');
/** Retries on 5xx from Vault (VAULT_MAX_RETRIES). */
export const CLIENT_MAX_RETRIES = v('client-max-retries');
/** Request timeout to Vault (VAULT_CLIENT_TIMEOUT). */
export const CLIENT_TIMEOUT = v('client-timeout');
/** GOMAXPROCS of the agent. */
export const GO_MAX_PROCS = v('go-max-procs');
/** Agent log level (default info). */
export const LOG_LEVEL = v('log-level');
/** Agent log format (default standard). */
export const LOG_FORMAT = v('log-format');

// Auth.
/** Vault role for the auth method. */
export const ROLE = v('role');
/** Auto-auth method type (default: the injector's, kubernetes). */
export const AUTH_TYPE = v('auth-type');
/** Auth method mount path (default: the injector's, auth/kubernetes). */
export const AUTH_PATH = v('auth-path');
/** `auth-config-PARAM`: auth method parameter (dashes become underscores). */
export const AUTH_CONFIG = v('auth-config');
/** Minimum auto-auth backoff (Go duration). */
export const AUTH_MIN_BACKOFF = v('auth-min-backoff');
/** Maximum auto-auth backoff (Go duration). */
export const AUTH_MAX_BACKOFF = v('auth-max-backoff');
/** Exit when auto-auth fails instead of retrying forever (default false). */
export const AGENT_AUTO_AUTH_EXIT_ON_ERR = v('agent-auto-auth-exit-on-err');

// Cache and template config.
/** Enable the agent cache (default false). */
export const AGENT_CACHE_ENABLE = v('agent-cache-enable');
/** Cache use_auto_auth_token: true, false or force (default true). */
export const AGENT_CACHE_USE_AUTO_AUTH_TOKEN = v('agent-cache-use-auto-auth-token');
/** Port of the cache listener on 127.0.0.1 (default 8200). */
export const AGENT_CACHE_LISTENER_PORT = v('agent-cache-listener-port');
/** Exit on errors restoring the persistent cache (default false). */
export const AGENT_CACHE_EXIT_ON_ERR = v('agent-cache-exit-on-err');
/** template_config.exit_on_retry_failure (default true). */
export const TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE = v('template-config-exit-on-retry-failure');
/** template_config.static_secret_render_interval (Go duration). */
export const TEMPLATE_STATIC_SECRET_RENDER_INTERVAL = v('template-static-secret-render-interval');
/** template_config.max_connections_per_host. */
export const TEMPLATE_MAX_CONNECTIONS_PER_HOST = v('template-max-connections-per-host');
/** template_config.lease_renewal_threshold (fraction of the lease). */
export const TEMPLATE_LEASE_RENEWAL_THRESHOLD = v('template-lease-renewal-threshold');
/** Agent features whose idle connections are disabled (comma-separated). */
export const AGENT_DISABLE_IDLE_CONNECTIONS = v('agent-disable-idle-connections');
/** Agent features whose keep-alives are disabled (comma-separated). */
export const AGENT_DISABLE_KEEP_ALIVES = v('agent-disable-keep-alives');
/** `agent-telemetry-PARAM`: a telemetry stanza parameter (JSON value or string). */
export const AGENT_TELEMETRY = v('agent-telemetry');

// opzero's own.
/** Roll the pod's workload when one of its secrets rotates (default false). */
export const OPZERO_RESTART_ON_ROTATE = 'opzero.io/restart-on-rotate';

/** The prefixes whose keys end in `-NAME` (a secret) or `-PARAM` (a parameter). */
export const FAMILY_PREFIXES = [
  AGENT_INJECT_SECRET,
  AGENT_INJECT_TEMPLATE,
  AGENT_INJECT_TEMPLATE_FILE,
  AGENT_INJECT_FILE,
  AGENT_INJECT_PERMS,
  AGENT_INJECT_COMMAND,
  AGENT_TEMPLATE_LEFT_DELIM,
  AGENT_TEMPLATE_RIGHT_DELIM,
  ERROR_ON_MISSING_KEY,
  PRESERVE_SECRET_CASE,
  SECRET_VOLUME_PATH,
  AUTH_CONFIG,
  AGENT_TELEMETRY,
] as const;
