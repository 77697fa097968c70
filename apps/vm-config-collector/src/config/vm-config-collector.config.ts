import { z } from 'zod';
import { commonAppShape, url } from '@opzero/config';

/** Environment prefix of every vm-config-collector setting: `VM_CONFIG_COLLECTOR_PORT`, `VM_CONFIG_COLLECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'VM_CONFIG_COLLECTOR';

/** vm-config-collector configuration; feature issues add their settings here. */
export const vmConfigCollectorConfigShape = {
  ...commonAppShape({ port: 8083, clientId: 'vm-config-collector' }),
  /** Consul (or the consul-gateway) whose vm-config/ the service watches. */
  CONSUL_ADDRESS: url('http://127.0.0.1:8500'),
  /** ACL token with read on key_prefix "vm-config/". */
  CONSUL_TOKEN: z.string().max(256).optional(),
  /** Blocking query wait, a Consul duration up to 10m. */
  WATCH_WAIT: z.string().regex(/^([1-9]\d{0,2}s|[1-9]m|10m)$/, 'must be a Consul duration such as 30s or 5m (at most 10m)').default('5m'),
};
