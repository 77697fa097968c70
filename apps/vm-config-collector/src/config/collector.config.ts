import { z } from 'zod';
import { positiveInt, url } from '@opzero/config';

/** Settings of the collector that runs on each VM (same prefix as the service: `VM_CONFIG_COLLECTOR_CONSUL_ADDRESS`...). */
export const collectorConfigShape = {
  /** The consul-gateway's fixed address, or any Consul agent. */
  CONSUL_ADDRESS: url('http://127.0.0.1:8500'),
  /** ACL token allowed to write `vm-config/<this node>/` and register this node. */
  CONSUL_TOKEN: z.string().max(256).optional(),
  /** Catalog node name; default: the kernel hostname. */
  NODE_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, 'must be a Consul node name').optional(),
  /** Catalog address; default: the default route's IPv4 address. */
  NODE_ADDRESS: z.string().max(253).optional(),
  PLUGINS_DIR: z.string().default('/etc/vm-config-collector/plugins'),
  PLUGIN_TIMEOUT_MS: positiveInt(10_000),
  /** A saved `ohai` JSON whose extra attributes (team plugins) are sent as `ohai_<name>` sections. */
  OHAI_INPUT: z.string().optional(),
  /** The `usage` section (free memory, uptime) is rewritten at most this often. */
  USAGE_MAX_AGE_SECONDS: positiveInt(3600),
};
