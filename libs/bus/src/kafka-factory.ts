import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { silentLogger, type BusLogger } from './bus-logger';
import { fixKafkajsIdleLoop, lazyKafkajsRequestTimeoutCheck } from './kafkajs-idle-loop-fix';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** Optional SASL/TLS are passed through to kafkajs unchanged. */
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Run kafkajs's request-timeout check (every 100 ms per broker connection) only while a request
   * is in flight, so an idle client does not wake at all (lazyKafkajsRequestTimeoutCheck). It
   * patches kafkajs for the whole process.
   */
  lazyRequestTimeoutCheck?: boolean;
}

/**
 * A kafkajs client whose own log lines go to our logger (JSON, redacted) instead of the console,
 * with retries long enough to ride out a broker restart (about a minute in total).
 */
export function createKafka(connection: KafkaConnection, logger: BusLogger = silentLogger): Kafka {
  fixKafkajsIdleLoop();
  if (connection.lazyRequestTimeoutCheck) lazyKafkajsRequestTimeoutCheck();
  const toLogger = () => ({ level, log }: LogEntry) => {
    const { message, ...rest } = log;
    const entry = { kafkajs: log.namespace ?? 'kafkajs', ...rest };
    // Retries are bounded on purpose (a publish must fail eventually so callers can buffer or
    // report); kafkajs's warning about that is expected, not news.
    if (message.startsWith('Limiting retries for the idempotent producer')) return logger.debug(entry, message);
    if (level === logLevel.ERROR) logger.error(entry, message);
    else if (level === logLevel.WARN) logger.warn(entry, message);
    else if (level === logLevel.INFO) logger.debug(entry, message);
  };
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.ssl !== undefined ? { ssl: connection.ssl } : {}),
    ...(connection.sasl ? { sasl: connection.sasl as never } : {}),
    connectionTimeout: connection.connectionTimeoutMs ?? 3_000,
    requestTimeout: connection.requestTimeoutMs ?? 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 15 },
    logLevel: logLevel.INFO,
    logCreator: toLogger,
  });
}
