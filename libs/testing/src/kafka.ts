import { createConnection } from 'node:net';
import { GenericContainer, Wait } from 'testcontainers';
import { freePorts } from './ports';
import { imageFor, loadTestingEnv } from './runtime-env';
import { announce, containerControls, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface KafkaServer extends RealServer {
  /** Bootstrap servers, `127.0.0.1:<port>`. */
  readonly brokers: string[];
}

export interface StartKafkaOptions {
  /** Default partitions of auto-created topics. */
  partitions?: number;
}

const OFFICIAL_IMAGE = 'apache/kafka:4.1.1';

/**
 * A real single-node Apache Kafka (KRaft, broker and controller in one process) on 127.0.0.1.
 * The local image (tools/infra) and the official apache/kafka image read the same KAFKA_*
 * variables, so one configuration serves both.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaServer> {
  loadTestingEnv();
  const startedAt = Date.now();
  const image = imageFor('OPZERO_KAFKA_IMAGE', OFFICIAL_IMAGE);
  const [port, controllerPort] = (await freePorts(2)) as [number, number];
  const container = await new GenericContainer(image)
    .withNetworkMode('host')
    .withEnvironment({
      CLUSTER_ID: 'b3B6ZXJvLXRlc3RzLTAwMQ',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controllerPort}`,
      KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LOG_DIRS: '/tmp/kafka-logs',
      KAFKA_NUM_PARTITIONS: String(options.partitions ?? 3),
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_HEAP_OPTS: '-Xmx384m -Xms128m',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  const brokers = [`127.0.0.1:${port}`];
  const whenReady = () => waitFor(`Kafka on ${brokers[0]}`, () => tcpOpen(port)).then(() => undefined);
  await whenReady();
  const description = `Kafka ${image.split(':').pop()}`;
  announce(description, image, brokers[0] as string, startedAt);
  return { description, image, brokers, ...containerControls(container, whenReady) };
}

function tcpOpen(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(undefined));
  });
}
