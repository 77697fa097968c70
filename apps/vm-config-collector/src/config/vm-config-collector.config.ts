import { commonAppShape } from '@opzero/config';

/** Environment prefix of every vm-config-collector setting: `VM_CONFIG_COLLECTOR_PORT`, `VM_CONFIG_COLLECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'VM_CONFIG_COLLECTOR';

/** vm-config-collector configuration; feature issues add their settings here. */
export const vmConfigCollectorConfigShape = {
  ...commonAppShape({ port: 8083, clientId: 'vm-config-collector' }),
};
