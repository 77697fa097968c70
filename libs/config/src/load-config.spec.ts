import { z } from 'zod';
import { brokerList, commonAppShape, ConfigError, flag, loadConfig, port } from './index';

describe('loadConfig', () => {
  const shape = { PORT: port(8080), VERBOSE: flag(false), KAFKA_BROKERS: brokerList('127.0.0.1:9092') };

  it('reads prefixed variables and applies defaults', () => {
    expect(loadConfig('APP', shape, { APP_PORT: '9000', OTHER_PORT: '1' })).toEqual({
      PORT: 9000,
      VERBOSE: false,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('treats an empty string as unset', () => {
    expect(loadConfig('APP', shape, { APP_PORT: '' }).PORT).toBe(8080);
  });

  it('splits and validates broker lists', () => {
    expect(loadConfig('APP', shape, { APP_KAFKA_BROKERS: 'a:9092, b.example:19092' }).KAFKA_BROKERS).toEqual([
      'a:9092',
      'b.example:19092',
    ]);
  });

  it.each([
    [{ APP_PORT: 'eighty' }, /APP_PORT="eighty": /],
    [{ APP_PORT: '70000' }, /APP_PORT="70000": /],
    [{ APP_VERBOSE: 'yes' }, /APP_VERBOSE="yes": must be true or false/],
    [{ APP_KAFKA_BROKERS: 'kafka' }, /APP_KAFKA_BROKERS="kafka": each broker must be host:port/],
  ])('names the variable in the error for %p', (env, message) => {
    expect(() => loadConfig('APP', shape, env)).toThrow(ConfigError);
    expect(() => loadConfig('APP', shape, env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    const error = (() => {
      try {
        loadConfig('APP', shape, { APP_PORT: 'x', APP_VERBOSE: 'maybe' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems).toHaveLength(2);
  });

  it('hides values of credential-like variables', () => {
    const secretShape = { VAULT_TOKEN: z.string().min(20) };
    expect(() => loadConfig('APP', secretShape, { APP_VAULT_TOKEN: 's.short' })).toThrow(/APP_VAULT_TOKEN=\(hidden\)/);
    expect(() => loadConfig('APP', secretShape, { APP_VAULT_TOKEN: 's.short' })).not.toThrow(/s\.short/);
  });

  it('gives every app the common settings', () => {
    const config = loadConfig('X', commonAppShape({ port: 8443, clientId: 'x' }), {});
    expect(config).toMatchObject({ PORT: 8443, KAFKA_CLIENT_ID: 'x', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: 15_000 });
  });
});
