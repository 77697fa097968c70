/** The app's kafkajs client. */
export const KAFKA = Symbol('KAFKA');
export const BUS_LOGGER = Symbol('BUS_LOGGER');
export const BUS_METRICS = Symbol('BUS_METRICS');
/** The BusModule options the module was created with. */
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
