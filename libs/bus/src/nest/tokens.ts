/** The app's kafkajs client. */
export const KAFKA = Symbol('KAFKA');
export const BUS_LOGGER = Symbol('BUS_LOGGER');
export const BUS_METRICS = Symbol('BUS_METRICS');
