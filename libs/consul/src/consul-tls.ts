import type { ConnectionOptions } from 'node:tls';
import type { ConsulTlsOptions } from './consul-types';

/** The Node TLS connection options for a Consul address over https: verification on unless skipVerify, only the fields given. */
export function consulTlsConnectionOptions(tls: ConsulTlsOptions = {}): ConnectionOptions {
  return {
    rejectUnauthorized: tls.skipVerify !== true,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
  };
}
