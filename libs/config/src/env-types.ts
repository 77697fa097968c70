import { z } from 'zod';

/** A TCP port, from a string. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** `true`/`false`/`1`/`0`, from a string. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** A positive integer, from a string. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `host:port,host:port`, validated per entry. */
export const brokerList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'each broker must be host:port'))
        .min(1, 'at least one broker is required'),
    );

// Pure: a bundle that imports only ConfigError/exitOnConfigError (the VM collector) then leaves zod out.
export const logLevel = /* @__PURE__ */ z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** An http(s) URL. */
export const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/**
 * Settings every opzero app has, under its own prefix: listen address, logging, Kafka, and
 * how long graceful shutdown may take.
 */
export const commonAppShape = (defaults: { port: number; clientId: string }) => ({
  HOST: z.string().default('0.0.0.0'),
  PORT: port(defaults.port),
  LOG_LEVEL: logLevel,
  KAFKA_BROKERS: brokerList('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default(defaults.clientId),
  KAFKA_TOPIC_PARTITIONS: positiveInt(3),
  SHUTDOWN_TIMEOUT_MS: positiveInt(15_000),
});

/** The parsed common settings (see commonAppShape). */
export type CommonAppConfig = z.infer<z.ZodObject<ReturnType<typeof commonAppShape>>>;
