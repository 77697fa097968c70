import { z } from 'zod';
import { commonAppShape, positiveInt, url } from '@opzero/config';

export { ENV_PREFIX } from './env-prefix';

/** vm-config-collector configuration; feature issues add their settings here. */
export const vmConfigCollectorConfigShape = {
  ...commonAppShape({ port: 8083, clientId: 'vm-config-collector' }),
  /** Consul (or the consul-gateway) whose vm-config/ the service watches. */
  CONSUL_ADDRESS: url('http://127.0.0.1:8500'),
  /** ACL token with read on key_prefix "vm-config/". */
  CONSUL_TOKEN: z.string().max(256).optional(),
  /** Blocking query wait, a Consul duration up to 10m. */
  WATCH_WAIT: z.string().regex(/^([1-9]\d{0,2}s|[1-9]m|10m)$/, 'must be a Consul duration such as 30s or 5m (at most 10m)').default('5m'),
  /**
   * PostgreSQL keeping every version of every node's facts (postgresql://user:password@host:port/db;
   * a credential: never echoed). Unset, the service watches and emits events only and the list API answers 503.
   */
  DATABASE_URL: z.string().max(2048).regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL').optional(),
  /** Connections to PostgreSQL, at most. */
  DATABASE_POOL_SIZE: positiveInt(10),
  /** Bearer token the VM Config list API accepts (Authorization: Bearer <token>). */
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
  /** Header an authenticating proxy sets to the user (e.g. x-forwarded-user); a request carrying it may read. */
  AUTH_PROXY_HEADER: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a lower-case header name such as x-forwarded-user').optional(),
};
