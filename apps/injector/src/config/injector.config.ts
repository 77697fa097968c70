import { commonAppShape } from '@opzero/config';

/** Environment prefix of every injector setting: `INJECTOR_PORT`, `INJECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'INJECTOR';

/** injector configuration; feature issues add their settings here. */
export const injectorConfigShape = {
  ...commonAppShape({ port: 8443, clientId: 'injector' }),
};
