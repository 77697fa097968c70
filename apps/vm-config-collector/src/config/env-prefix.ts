/** Environment prefix of every vm-config-collector setting: `VM_CONFIG_COLLECTOR_PORT`, `VM_CONFIG_COLLECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'VM_CONFIG_COLLECTOR';
