import * as k from './annotation-keys';
import type { InjectorSettings } from './injector-settings';
import type { Pod } from './pod-types';

/** The secrets volume's mount path when `secret-volume-path` is not set. */
export const DEFAULT_SECRET_VOLUME_PATH = '/vault/secrets';

/**
 * The pod's annotations with the injector's defaults filled in for every key that is absent,
 * as vault-k8s `agent.Init` does. A key that is present keeps its value, even when empty.
 */
export function withDefaults(pod: Pod, namespace: string, settings: InjectorSettings): Record<string, string> {
  const a: Record<string, string> = { ...(pod.metadata?.annotations ?? {}) };
  const fill = (key: string, value: string) => {
    if (!(key in a)) a[key] = value;
  };
  fill(k.SERVICE, settings.vaultAddress);
  fill(k.AUTH_TYPE, settings.authType || 'kubernetes');
  fill(k.AUTH_PATH, settings.authPath);
  fill(k.NAMESPACE, settings.vaultNamespace);
  fill(k.PROXY_ADDRESS, settings.proxyAddress);
  fill(k.AGENT_IMAGE, settings.agentImage);
  fill(k.AGENT_REQUEST_NAMESPACE, namespace);
  fill(k.AGENT_LIMITS_CPU, settings.limitsCpu);
  fill(k.AGENT_LIMITS_MEM, settings.limitsMem);
  fill(k.AGENT_LIMITS_EPHEMERAL, settings.limitsEphemeral);
  fill(k.AGENT_REQUESTS_CPU, settings.requestsCpu);
  fill(k.AGENT_REQUESTS_MEM, settings.requestsMem);
  fill(k.AGENT_REQUESTS_EPHEMERAL, settings.requestsEphemeral);
  fill(k.SECRET_VOLUME_PATH, DEFAULT_SECRET_VOLUME_PATH);
  fill(k.AGENT_REVOKE_ON_SHUTDOWN, String(settings.revokeOnShutdown));
  fill(k.AGENT_REVOKE_GRACE, '5');
  fill(k.LOG_LEVEL, 'info');
  fill(k.LOG_FORMAT, 'standard');
  fill(k.AGENT_SERVICE_ACCOUNT_TOKEN_VOLUME_NAME, '');
  const securityContextIsSet = k.AGENT_SET_SECURITY_CONTEXT in a;
  const userIsSet = k.AGENT_RUN_AS_USER in a;
  const sameUserIsSet = k.AGENT_RUN_AS_SAME_USER in a;
  const groupIsSet = k.AGENT_RUN_AS_GROUP in a;
  fill(k.AGENT_SET_SECURITY_CONTEXT, String(settings.setSecurityContext));
  fill(k.AGENT_RUN_AS_USER, settings.runAsUser || '100');
  fill(k.AGENT_RUN_AS_SAME_USER, String(settings.runAsSameUser));
  fill(k.AGENT_RUN_AS_GROUP, settings.runAsGroup || '1000');
  // Asking for a user or group implies a security context even where the injector's default
  // is not to set one; otherwise the annotation would silently do nothing.
  if (!settings.setSecurityContext && !securityContextIsSet && (userIsSet || sameUserIsSet || groupIsSet)) {
    a[k.AGENT_SET_SECURITY_CONTEXT] = 'true';
  }
  fill(k.AGENT_CACHE_ENABLE, 'false');
  fill(k.AGENT_CACHE_LISTENER_PORT, '8200');
  fill(k.AGENT_CACHE_USE_AUTO_AUTH_TOKEN, 'true');
  fill(k.AGENT_CACHE_EXIT_ON_ERR, 'false');
  fill(k.AGENT_INJECT_CONTAINERS, (pod.spec?.containers ?? []).map((c) => c.name).join(','));
  fill(k.AGENT_INJECT_DEFAULT_TEMPLATE, settings.defaultTemplate);
  fill(k.TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE, String(settings.exitOnRetryFailure));
  fill(k.TEMPLATE_STATIC_SECRET_RENDER_INTERVAL, settings.staticSecretRenderInterval);
  fill(k.TEMPLATE_MAX_CONNECTIONS_PER_HOST, String(settings.maxConnectionsPerHost));
  if (settings.authMinBackoff) fill(k.AUTH_MIN_BACKOFF, settings.authMinBackoff);
  if (settings.authMaxBackoff) fill(k.AUTH_MAX_BACKOFF, settings.authMaxBackoff);
  fill(k.AGENT_DISABLE_IDLE_CONNECTIONS, settings.disableIdleConnections);
  fill(k.AGENT_DISABLE_KEEP_ALIVES, settings.disableKeepAlives);
  // An empty patch annotation means "no patch", not an invalid patch.
  if (a[k.AGENT_JSON_PATCH] === '') delete a[k.AGENT_JSON_PATCH];
  if (a[k.AGENT_INIT_JSON_PATCH] === '') delete a[k.AGENT_INIT_JSON_PATCH];
  return a;
}
