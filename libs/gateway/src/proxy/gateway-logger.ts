/** The logging the gateway core needs (a pino logger satisfies it). Never given headers or query strings. */
export interface GatewayLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentGatewayLogger: GatewayLogger = { info() {}, warn() {} };

/** The path of a request URL without its query string, which may carry `?token=`. */
export const pathOnly = (url: string | undefined): string => (url ?? '').split('?', 1)[0]?.slice(0, 256) ?? '';
