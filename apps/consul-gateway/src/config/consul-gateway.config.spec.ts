import { loadConfig } from '@opzero/config';
import { consulGatewayConfigShape, ENV_PREFIX } from './consul-gateway.config';

const load = (env: Record<string, string>) => loadConfig(ENV_PREFIX, consulGatewayConfigShape, env);

describe('consul-gateway configuration', () => {
  it('parses seeds and applies the defaults', () => {
    const config = load({ CONSUL_GATEWAY_SEEDS: '10.0.0.5, consul-1.consul:18500' });
    expect(config.SEEDS.map((seed) => seed.id)).toEqual(['10.0.0.5:8500', 'consul-1.consul:18500']);
    expect(config).toMatchObject({ LISTEN_PORT: 8500, DNS_PORT: 8600, DNS_ENABLED: true, READ_ROUTING: 'leader', HOLD_TIMEOUT_MS: 15_000, WORKERS: 1 });
    expect(config.KUBE_SERVICE).toBeUndefined();
  });

  it.each([
    [{}, /CONSUL_GATEWAY_SEEDS=unset/],
    [{ CONSUL_GATEWAY_SEEDS: ' , ' }, /CONSUL_GATEWAY_SEEDS=" , ": at least one Consul server address/],
    [{ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_READ_ROUTING: 'random' }, /CONSUL_GATEWAY_READ_ROUTING="random"/],
    [{ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_KUBE_SERVICE: 'consul-server' }, /CONSUL_GATEWAY_KUBE_SERVICE="consul-server": must be namespace\/name/],
    [{ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_HTTP_PORT_META: 'http port' }, /CONSUL_GATEWAY_HTTP_PORT_META="http port": must be a Consul node meta key/],
    [{ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_HOLD_TIMEOUT_MS: '0' }, /CONSUL_GATEWAY_HOLD_TIMEOUT_MS="0"/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });

  it('never echoes the token', () => {
    expect(() => load({ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_TOKEN: 'x'.repeat(300) })).toThrow(/CONSUL_GATEWAY_TOKEN=\(hidden\)/);
  });

  it('accepts a Service to watch', () => {
    expect(load({ CONSUL_GATEWAY_SEEDS: 'a:1', CONSUL_GATEWAY_KUBE_SERVICE: 'consul/consul-server' }).KUBE_SERVICE).toBe('consul/consul-server');
  });
});
