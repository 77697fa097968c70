/** Kafka topic names: public API. An incompatible payload change means a new `.vN`, never a rename. */
export const Topics = {
  /** A pod was mutated by the injector. */
  podCreated: 'vault.pod-created.v1',
  /** A secret path watched for pods got a new version or lease. */
  secretRotated: 'vault.secret-rotated.v1',
  /** A Vault node reported itself sealed. */
  sealed: 'vault.sealed.v1',
  /** A Vault node was unsealed by unseal-keeper. */
  unsealed: 'vault.unsealed.v1',
  /** An unseal attempt failed. */
  unsealFailed: 'vault.unseal-failed.v1',
  /** A VM's facts changed in Consul KV. */
  vmconfigCollected: 'vmconfig.collected.v1',
  /** The healthy Consul server set or its leader changed. */
  consulServersChanged: 'consul.servers-changed.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

const DLQ_SUFFIX = '.dlq';

/** The dead-letter topic of a topic: `<topic>.dlq`. */
export const dlqTopic = (topic: Topic): `${Topic}.dlq` => `${topic}${DLQ_SUFFIX}`;

/** True for a dead-letter topic name. */
export const isDlqTopic = (topic: string): boolean => topic.endsWith(DLQ_SUFFIX);
