import { ConfigError } from '@opzero/config';

/** Settings of the collector that runs on each VM (same prefix as the service: `VM_CONFIG_COLLECTOR_CONSUL_ADDRESS`...). */
export interface CollectorConfig {
  /** The consul-gateway's fixed address, or any Consul agent. */
  CONSUL_ADDRESS: string;
  /** ACL token allowed to write `vm-config/<this node>/` and register this node. */
  CONSUL_TOKEN?: string;
  /** Catalog node name; default: the kernel hostname. */
  NODE_NAME?: string;
  /** Catalog address; default: the default route's IPv4 address. */
  NODE_ADDRESS?: string;
  PLUGINS_DIR: string;
  PLUGIN_TIMEOUT_MS: number;
  /** A saved `ohai` JSON whose extra attributes (team plugins) are sent as `ohai_<name>` sections. */
  OHAI_INPUT?: string;
  /** The `usage` section (free memory, uptime) is rewritten at most this often. */
  USAGE_MAX_AGE_SECONDS: number;
}

type Check = (value: string) => string | null;
const maxLength = (limit: number): Check => (value) => (value.length > limit ? `must be at most ${limit} characters` : null);
const matches = (pattern: RegExp, message: string): Check => (value) => (pattern.test(value) ? null : message);
const httpUrl: Check = (value) => (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) ? null : 'must be an http(s) URL');
const positiveInt: Check = (value) => (/^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value)) ? null : 'must be a positive whole number');

/** Each setting's rules (the service's zod shape, written out). */
const RULES: Record<keyof CollectorConfig, Check> = {
  CONSUL_ADDRESS: httpUrl,
  CONSUL_TOKEN: maxLength(256),
  NODE_NAME: matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, 'must be a Consul node name'),
  NODE_ADDRESS: maxLength(253),
  PLUGINS_DIR: maxLength(4096),
  PLUGIN_TIMEOUT_MS: positiveInt,
  OHAI_INPUT: maxLength(4096),
  USAGE_MAX_AGE_SECONDS: positiveInt,
};

/**
 * Reads the collector's settings without zod: the collector is the one file on every VM, and
 * loading zod alone added 8 MiB to its peak RSS. Empty counts as unset; every bad variable is
 * named in one ConfigError, token values never shown.
 */
export function loadCollectorConfig(prefix: string, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const problems: string[] = [];
  const read = (name: keyof CollectorConfig): string | undefined => {
    const value = env[`${prefix}_${name}`] || undefined;
    const problem = value === undefined ? null : RULES[name](value);
    if (problem) problems.push(`${prefix}_${name}=${name === 'CONSUL_TOKEN' ? '(hidden)' : JSON.stringify(value)}: ${problem}`);
    return problem ? undefined : value;
  };
  const optional = (name: keyof CollectorConfig) => {
    const value = read(name);
    return value === undefined ? {} : { [name]: value };
  };
  const config: CollectorConfig = {
    CONSUL_ADDRESS: read('CONSUL_ADDRESS') ?? 'http://127.0.0.1:8500',
    ...optional('CONSUL_TOKEN'),
    ...optional('NODE_NAME'),
    ...optional('NODE_ADDRESS'),
    PLUGINS_DIR: read('PLUGINS_DIR') ?? '/etc/vm-config-collector/plugins',
    PLUGIN_TIMEOUT_MS: Number(read('PLUGIN_TIMEOUT_MS') ?? 10_000),
    ...optional('OHAI_INPUT'),
    USAGE_MAX_AGE_SECONDS: Number(read('USAGE_MAX_AGE_SECONDS') ?? 3600),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
