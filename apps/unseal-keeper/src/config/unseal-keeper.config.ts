import { commonAppShape } from '@opzero/config';

/** Environment prefix of every unseal-keeper setting: `UNSEAL_KEEPER_PORT`, `UNSEAL_KEEPER_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'UNSEAL_KEEPER';

/** unseal-keeper configuration; feature issues add their settings here. */
export const unsealKeeperConfigShape = {
  ...commonAppShape({ port: 8082, clientId: 'unseal-keeper' }),
};
