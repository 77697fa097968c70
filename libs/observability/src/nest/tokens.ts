/** Injection token of the app's prom-client Registry. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Injection token of the app's root pino logger; components take `.child({ component })`. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
