import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED, redactPaths } from './redaction';

export interface LoggerOptions {
  /** The app or component name, on every line. */
  name: string;
  level?: string;
}

/** pino options shared by the Nest module and plain loggers: JSON, ISO time, redaction. */
export function loggerOptions({ name, level = 'info' }: LoggerOptions): pino.LoggerOptions {
  return {
    name,
    level,
    redact: { paths: [...redactPaths], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/** A JSON logger with redaction, for code outside Nest (CLIs, the agent, tools). */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(options), destination) : pino(loggerOptions(options));
}
