import { parseAgentConfig } from './agent-config';
import { ConfigFieldError } from './duration';
import { normalizeHcl } from './hcl-normalize';

const base = {
  auto_auth: { method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'web' } }, sink: [{ type: 'file', config: { path: '/home/vault/.vault-token' } }] },
  exit_after_auth: true,
  pid_file: '/home/vault/.pid',
  vault: { address: 'https://vault:8200' },
  template: [{ destination: '/vault/secrets/db', contents: '{{ .x }}', left_delimiter: '{{', right_delimiter: '}}', perms: '0440', error_on_missing_key: true, command: 'true' }],
  template_config: { exit_on_retry_failure: true, static_secret_render_interval: '10s', lease_renewal_threshold: 0.8 },
};

function refusal(raw: unknown): string {
  try {
    parseAgentConfig(raw);
  } catch (error) {
    if (error instanceof ConfigFieldError) return error.field;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseAgentConfig', () => {
  it('reads the injector’s VAULT_CONFIG form', () => {
    const config = parseAgentConfig(base);
    expect(config.autoAuth?.method).toMatchObject({ type: 'kubernetes', mountPath: 'auth/kubernetes', settings: { role: 'web' }, minBackoffMs: 1000, maxBackoffMs: 300_000 });
    expect(config.autoAuth?.sinks).toEqual([{ path: '/home/vault/.vault-token', mode: 0o640 }]);
    expect(config.templates[0]).toMatchObject({ destination: '/vault/secrets/db', perms: 0o440, errorOnMissingKey: true, command: ['true'], commandTimeoutMs: 30_000 });
    expect(config.templateConfig).toEqual({ exitOnRetryFailure: true, staticSecretRenderIntervalMs: 10_000, leaseRenewalThreshold: 0.8, maxConnectionsPerHost: 10 });
    expect(config.exitAfterAuth).toBe(true);
  });

  it.each([
    [{ ...base, auto_auth: { ...base.auto_auth, method: { type: 'aws', config: {} } } }, 'auto_auth.method.type'],
    [{ ...base, cache: { persist: { type: 'kubernetes', path: '/vault/agent-cache' } } }, 'cache.persist'],
    [{ ...base, bogus: 1 }, 'bogus'],
    [{ ...base, vault: { address: 'x', tls_min_version: 'tls13' } }, 'vault.tls_min_version'],
    [{ ...base, template: [{ destination: '/x', perms: '999' }] }, 'template[0].perms'],
    [{ ...base, template: [{ contents: 'x' }] }, 'template[0].destination'],
    [{ ...base, template_config: { static_secret_render_interval: 'soon' } }, 'template_config.static_secret_render_interval'],
    [{ ...base, auto_auth: { method: { type: 'approle', config: {} }, sink: [] } }, 'auto_auth.method.config.role_id_file_path'],
    [{ ...base, auto_auth: { method: { type: 'jwt', config: { role: 'r', path: '/t', extra: 1 } }, sink: [] } }, 'auto_auth.method.config.extra'],
    [{ ...base, listener: [{ type: 'tcp', address: '127.0.0.1:8200', tls_disable: true }] }, 'listener'],
    [{ ...base, auto_auth: { ...base.auto_auth, sink: [{ type: 'file', wrap_ttl: '5m', config: { path: '/x' } }] } }, 'auto_auth.sink[0].wrap_ttl'],
  ])('refuses %# naming %s', (raw, field) => {
    expect(refusal(raw)).toBe(field);
  });

  it('reads HCL blocks as hcl2json returns them', () => {
    const hcl = {
      auto_auth: [{ method: { approle: [{ mount_path: 'auth/approle', config: [{ role_id_file_path: '/r', secret_id_file_path: '/s' }] }] }, sink: { file: [{ config: [{ path: '/t' }] }] } }],
      exit_after_auth: true,
      listener: { tcp: [{ address: '127.0.0.1:8100', tls_disable: true, agent_api: [{ enable_quit: true }] }] },
      cache: [{ use_auto_auth_token: 'force' }],
      template: [{ destination: '/a', contents: 'x' }],
      vault: [{ address: 'http://127.0.0.1:8200', retry: [{ num_retries: -1 }] }],
    };
    const config = parseAgentConfig(normalizeHcl(hcl));
    expect(config.autoAuth?.method.type).toBe('approle');
    expect(config.autoAuth?.sinks).toEqual([{ path: '/t', mode: 0o640 }]);
    expect(config.listeners).toEqual([{ address: '127.0.0.1:8100', enableQuit: true }]);
    expect(config.cache).toEqual({ useAutoAuthToken: 'force' });
    expect(config.vault.templateRetries).toBe(0);
  });
});
