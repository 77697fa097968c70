import { defineContract, type Contract } from './contract';
import { podCreatedKey, podCreatedSchema } from './events/pod-created.schema';
import { sealedSchema, unsealedSchema, unsealFailedSchema, vaultNodeKey } from './events/seal.schema';
import { secretRotatedKey, secretRotatedSchema } from './events/secret-rotated.schema';
import { serversChangedKey, serversChangedSchema } from './events/servers-changed.schema';
import { vmconfigCollectedKey, vmconfigCollectedSchema } from './events/vmconfig-collected.schema';
import { Topics, type Topic } from './topics';

export const podCreated = defineContract({
  topic: Topics.podCreated,
  producer: 'injector',
  schema: podCreatedSchema,
  key: podCreatedKey,
  description: 'After the injector mutated a pod: who it is, how the agent runs, which Vault paths it renders.',
});

export const secretRotated = defineContract({
  topic: Topics.secretRotated,
  producer: 'agent-renderer',
  schema: secretRotatedSchema,
  key: secretRotatedKey,
  description: 'When a secret path used by injected pods has a new version or lease.',
});

export const sealed = defineContract({
  topic: Topics.sealed,
  producer: 'unseal-keeper',
  schema: sealedSchema,
  key: vaultNodeKey,
  description: 'When unseal-keeper sees a Vault node report sealed.',
});

export const unsealed = defineContract({
  topic: Topics.unsealed,
  producer: 'unseal-keeper',
  schema: unsealedSchema,
  key: vaultNodeKey,
  description: 'After unseal-keeper unsealed a node, with the time it took.',
});

export const unsealFailed = defineContract({
  topic: Topics.unsealFailed,
  producer: 'unseal-keeper',
  schema: unsealFailedSchema,
  key: vaultNodeKey,
  description: 'When an unseal attempt failed, with the reason; unseal-keeper retries.',
});

export const vmconfigCollected = defineContract({
  topic: Topics.vmconfigCollected,
  producer: 'vm-config-collector',
  schema: vmconfigCollectedSchema,
  key: vmconfigCollectedKey,
  description: "When a VM's facts in Consul KV changed, with the fact groups that changed.",
});

export const consulServersChanged = defineContract({
  topic: Topics.consulServersChanged,
  producer: 'consul-gateway',
  schema: serversChangedSchema,
  key: serversChangedKey,
  description: 'When the healthy Consul server set or its leader changed.',
});

/** Every contract, by topic. */
export const contracts: Readonly<Record<Topic, Contract>> = Object.freeze({
  [Topics.podCreated]: podCreated,
  [Topics.secretRotated]: secretRotated,
  [Topics.sealed]: sealed,
  [Topics.unsealed]: unsealed,
  [Topics.unsealFailed]: unsealFailed,
  [Topics.vmconfigCollected]: vmconfigCollected,
  [Topics.consulServersChanged]: consulServersChanged,
});
