import type { AnnotationProblem } from './annotation-error';
import * as k from './annotation-keys';

/** Kubernetes' limit on all annotations of an object together (keys and values, bytes). */
export const TOTAL_ANNOTATIONS_LIMIT = 256 * 1024;

/** Booleans, numbers, durations, quantities, ids, enumerations. */
export const SHORT_VALUE_LIMIT = 64;
/** Kubernetes object names (DNS subdomains), Vault roles. */
export const NAME_VALUE_LIMIT = 256;
/** A Vault secret path (the pod-created contract's limit). */
export const SECRET_PATH_LIMIT = 1024;
/** Paths, addresses, images, commands, lists of container names. */
export const PATH_VALUE_LIMIT = 4096;

const SHORT_KEYS = [
  k.AGENT_INJECT, k.AGENT_INJECT_STATUS, k.AGENT_PRE_POPULATE, k.AGENT_PRE_POPULATE_ONLY, k.AGENT_INIT_FIRST, k.AGENT_INJECT_TOKEN,
  k.AGENT_REVOKE_ON_SHUTDOWN, k.AGENT_REVOKE_GRACE, k.AGENT_ENABLE_QUIT, k.AGENT_SHARE_PROCESS_NAMESPACE, k.AGENT_INJECT_DEFAULT_TEMPLATE,
  k.AGENT_LIMITS_CPU, k.AGENT_LIMITS_MEM, k.AGENT_LIMITS_EPHEMERAL, k.AGENT_REQUESTS_CPU, k.AGENT_REQUESTS_MEM, k.AGENT_REQUESTS_EPHEMERAL,
  k.AGENT_RUN_AS_USER, k.AGENT_RUN_AS_GROUP, k.AGENT_RUN_AS_SAME_USER, k.AGENT_SET_SECURITY_CONTEXT, k.TLS_SKIP_VERIFY,
  k.CLIENT_MAX_RETRIES, k.CLIENT_TIMEOUT, k.GO_MAX_PROCS, k.LOG_LEVEL, k.LOG_FORMAT, k.AUTH_TYPE, k.AUTH_MIN_BACKOFF, k.AUTH_MAX_BACKOFF,
  k.AGENT_AUTO_AUTH_EXIT_ON_ERR, k.AGENT_CACHE_ENABLE, k.AGENT_CACHE_USE_AUTO_AUTH_TOKEN, k.AGENT_CACHE_LISTENER_PORT, k.AGENT_CACHE_EXIT_ON_ERR,
  k.TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE, k.TEMPLATE_STATIC_SECRET_RENDER_INTERVAL, k.TEMPLATE_MAX_CONNECTIONS_PER_HOST,
  k.TEMPLATE_LEASE_RENEWAL_THRESHOLD, k.AGENT_DISABLE_IDLE_CONNECTIONS, k.AGENT_DISABLE_KEEP_ALIVES, k.OPZERO_RESTART_ON_ROTATE,
  k.PRESERVE_SECRET_CASE,
];
const NAME_KEYS = [
  k.AGENT_CONFIGMAP, k.AGENT_EXTRA_SECRET, k.TLS_SECRET, k.AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME, k.AGENT_COPY_VOLUME_MOUNTS,
  k.AGENT_REQUEST_NAMESPACE, k.TLS_SERVER_NAME, k.ROLE,
];
/** Values bounded only by the total (templates, patches, auth method parameters, telemetry). */
const UNBOUNDED_KEYS = [k.AGENT_JSON_PATCH, k.AGENT_INIT_JSON_PATCH];

const EXACT = new Map<string, number>([
  ...SHORT_KEYS.map((key) => [key, SHORT_VALUE_LIMIT] as const),
  ...NAME_KEYS.map((key) => [key, NAME_VALUE_LIMIT] as const),
  ...UNBOUNDED_KEYS.map((key) => [key, TOTAL_ANNOTATIONS_LIMIT] as const),
]);

/** `-NAME` families, longest prefix first (template-file before template). */
const FAMILIES: ReadonlyArray<readonly [string, number]> = (
  [
    [k.AGENT_INJECT_SECRET, SECRET_PATH_LIMIT],
    [k.AGENT_INJECT_TEMPLATE, TOTAL_ANNOTATIONS_LIMIT],
    [k.AGENT_INJECT_TEMPLATE_FILE, PATH_VALUE_LIMIT],
    [k.AGENT_INJECT_FILE, PATH_VALUE_LIMIT],
    [k.AGENT_INJECT_PERMS, SHORT_VALUE_LIMIT],
    [k.AGENT_INJECT_COMMAND, PATH_VALUE_LIMIT],
    [k.AGENT_TEMPLATE_LEFT_DELIM, SHORT_VALUE_LIMIT],
    [k.AGENT_TEMPLATE_RIGHT_DELIM, SHORT_VALUE_LIMIT],
    [k.ERROR_ON_MISSING_KEY, SHORT_VALUE_LIMIT],
    [k.PRESERVE_SECRET_CASE, SHORT_VALUE_LIMIT],
    [k.SECRET_VOLUME_PATH, PATH_VALUE_LIMIT],
    [k.AUTH_CONFIG, TOTAL_ANNOTATIONS_LIMIT],
    [k.AGENT_TELEMETRY, PATH_VALUE_LIMIT],
  ] as Array<[string, number]>
)
  .map(([prefix, limit]) => [`${prefix}-`, limit] as const)
  .sort((a, b) => b[0].length - a[0].length);

const OUR_PREFIXES = ['vault.hashicorp.com/', 'opzero.io/'];

/** The longest value the injector accepts for an annotation key it reads. */
export function valueLimit(key: string): number {
  const exact = EXACT.get(key);
  if (exact !== undefined) return exact;
  for (const [prefix, limit] of FAMILIES) if (key.startsWith(prefix)) return limit;
  return PATH_VALUE_LIMIT;
}

const isAlphanumeric = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Kubernetes' rule for the name part of an annotation key: 1-63 of [A-Za-z0-9-_.], alphanumeric at both ends. */
export function isQualifiedNamePart(name: string): boolean {
  if (name.length === 0 || name.length > 63) return false;
  if (!isAlphanumeric(name.charCodeAt(0)) || !isAlphanumeric(name.charCodeAt(name.length - 1))) return false;
  for (let i = 1; i < name.length - 1; i++) {
    const c = name.charCodeAt(i);
    if (!isAlphanumeric(c) && c !== 45 && c !== 95 && c !== 46) return false;
  }
  return true;
}

/** Why the annotations together are too large for Kubernetes, or undefined. */
export function annotationsTotalProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  let total = 0;
  for (const key in annotations) total += key.length + annotations[key]!.length;
  if (total <= TOTAL_ANNOTATIONS_LIMIT) return undefined;
  return `metadata.annotations: ${total} characters in total, over Kubernetes' limit of ${TOTAL_ANNOTATIONS_LIMIT} for all annotations of a pod`;
}

/**
 * Size and syntax problems of the injector's annotation keys, checked before anything parses
 * them so every later check runs on bounded input: each key's own value limit, and the
 * Kubernetes key syntax (the API server would refuse the pod for a bad key anyway).
 */
export function annotationSizeProblems(annotations: Readonly<Record<string, string>>): AnnotationProblem[] {
  const problems: AnnotationProblem[] = [];
  for (const key in annotations) {
    const prefix = OUR_PREFIXES.find((p) => key.startsWith(p));
    if (prefix === undefined) continue;
    const value = annotations[key]!;
    if (!isQualifiedNamePart(key.slice(prefix.length))) {
      const shown = key.length > 120 ? `${key.slice(0, 117)}...` : key;
      problems.push({ annotation: shown, value: undefined, message: 'is not a valid annotation key (after the prefix: 1-63 letters, digits, "-", "_" or ".", alphanumeric at both ends)' });
      continue;
    }
    const limit = valueLimit(key);
    if (value.length > limit) problems.push({ annotation: key, value: undefined, message: `is ${value.length} characters long; the limit for this annotation is ${limit}` });
  }
  return problems;
}
