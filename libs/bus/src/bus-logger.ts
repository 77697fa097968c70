/** The slice of a pino logger the bus uses, so the core needs no logging framework. */
export interface BusLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: BusLogger = { debug() {}, info() {}, warn() {}, error() {} };
