import { commonAppShape } from '@opzero/config';

/** Environment prefix of every consul-gateway setting: `CONSUL_GATEWAY_PORT`, `CONSUL_GATEWAY_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'CONSUL_GATEWAY';

/** consul-gateway configuration; feature issues add their settings here. */
export const consulGatewayConfigShape = {
  ...commonAppShape({ port: 8084, clientId: 'consul-gateway' }),
};
