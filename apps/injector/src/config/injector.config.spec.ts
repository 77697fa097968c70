import { ConfigError } from '@opzero/config';
import { loadInjectorConfig } from './injector.config';

describe('injector TLS configuration', () => {
  it('defaults auto TLS off, with the in-cluster service names', () => {
    const config = loadInjectorConfig({});
    expect(config).toMatchObject({
      TLS_AUTO: false,
      TLS_AUTO_HOSTS: ['opzero-injector', 'opzero-injector.opzero', 'opzero-injector.opzero.svc'],
      TLS_AUTO_VALIDITY_HOURS: 720,
      TLS_AUTO_CA_VALIDITY_HOURS: 8760,
      WEBHOOK_CONFIG_NAME: 'opzero-injector',
      HEADERS_TIMEOUT_MS: 3_000,
      REQUEST_TIMEOUT_MS: 5_000,
    });
  });

  it('reads the auto TLS variables', () => {
    const config = loadInjectorConfig({
      INJECTOR_TLS_AUTO: 'true',
      INJECTOR_TLS_AUTO_HOSTS: 'inj.ns.svc, inj.ns.svc.cluster.local,10.0.0.7',
      INJECTOR_TLS_AUTO_VALIDITY_HOURS: '48',
      INJECTOR_WEBHOOK_CONFIG_NAME: 'my-injector',
    });
    expect(config).toMatchObject({ TLS_AUTO: true, TLS_AUTO_HOSTS: ['inj.ns.svc', 'inj.ns.svc.cluster.local', '10.0.0.7'], TLS_AUTO_VALIDITY_HOURS: 48, WEBHOOK_CONFIG_NAME: 'my-injector' });
  });

  it.each([
    [{ INJECTOR_TLS_AUTO: 'true', INJECTOR_TLS_CERT_FILE: '/tls/tls.crt' }, /INJECTOR_TLS_AUTO=true and INJECTOR_TLS_CERT_FILE\/INJECTOR_TLS_KEY_FILE are both set/],
    [{ INJECTOR_TLS_AUTO: 'true', INJECTOR_TLS_AUTO_VALIDITY_HOURS: '4000' }, /INJECTOR_TLS_AUTO_CA_VALIDITY_HOURS=8760 must be at least 3 x INJECTOR_TLS_AUTO_VALIDITY_HOURS \(12000\)/],
    [{ INJECTOR_TLS_AUTO_HOSTS: 'ok.svc,bad host' }, /INJECTOR_TLS_AUTO_HOSTS="ok.svc,bad host": each entry must be a DNS name or an IP address/],
    [{ INJECTOR_TLS_AUTO_HOSTS: ' , ' }, /INJECTOR_TLS_AUTO_HOSTS=" , ": at least one host is required/],
    [{ INJECTOR_WEBHOOK_CONFIG_NAME: 'Opzero_Injector' }, /INJECTOR_WEBHOOK_CONFIG_NAME="Opzero_Injector": must be a Kubernetes object name/],
    [{ INJECTOR_TLS_AUTO: 'yes' }, /INJECTOR_TLS_AUTO="yes": must be true or false/],
    [{ INJECTOR_HEADERS_TIMEOUT_MS: '9000' }, /INJECTOR_HEADERS_TIMEOUT_MS=9000 exceeds INJECTOR_REQUEST_TIMEOUT_MS=5000/],
  ])('rejects %p naming the variables', (env, message) => {
    expect(() => loadInjectorConfig(env)).toThrow(ConfigError);
    expect(() => loadInjectorConfig(env)).toThrow(message);
  });
});
