import { ConfigError } from '@opzero/config';
import { loadCollectorConfig } from './collector.config';

describe('loadCollectorConfig', () => {
  it('applies the defaults when nothing (or an empty string) is set', () => {
    expect(loadCollectorConfig('P', { P_NODE_NAME: '' })).toEqual({
      CONSUL_ADDRESS: 'http://127.0.0.1:8500',
      PLUGINS_DIR: '/etc/vm-config-collector/plugins',
      PLUGIN_TIMEOUT_MS: 10000,
      USAGE_MAX_AGE_SECONDS: 3600,
    });
  });

  it('reads every setting', () => {
    const env = { P_CONSUL_ADDRESS: 'https://gw.internal:8501', P_CONSUL_TOKEN: 't-1', P_NODE_NAME: 'web-01', P_NODE_ADDRESS: '10.0.0.5', P_PLUGINS_DIR: '/opt/p', P_PLUGIN_TIMEOUT_MS: '2500', P_OHAI_INPUT: '/var/ohai.json', P_USAGE_MAX_AGE_SECONDS: '60' };
    expect(loadCollectorConfig('P', env)).toEqual({ CONSUL_ADDRESS: 'https://gw.internal:8501', CONSUL_TOKEN: 't-1', NODE_NAME: 'web-01', NODE_ADDRESS: '10.0.0.5', PLUGINS_DIR: '/opt/p', PLUGIN_TIMEOUT_MS: 2500, OHAI_INPUT: '/var/ohai.json', USAGE_MAX_AGE_SECONDS: 60 });
  });

  it('names every bad variable at once and never shows the token', () => {
    const env = { P_CONSUL_ADDRESS: 'ftp://x', P_NODE_NAME: 'bad name!', P_PLUGIN_TIMEOUT_MS: '0', P_USAGE_MAX_AGE_SECONDS: '1.5', P_CONSUL_TOKEN: `s3cr3t${'x'.repeat(300)}` };
    let error: unknown;
    try {
      loadCollectorConfig('P', env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'P_CONSUL_ADDRESS="ftp://x": must be an http(s) URL',
      'P_CONSUL_TOKEN=(hidden): must be at most 256 characters',
      'P_NODE_NAME="bad name!": must be a Consul node name',
      'P_PLUGIN_TIMEOUT_MS="0": must be a positive whole number',
      'P_USAGE_MAX_AGE_SECONDS="1.5": must be a positive whole number',
    ]);
    expect((error as Error).message).not.toContain('s3cr3t');
  });
});
