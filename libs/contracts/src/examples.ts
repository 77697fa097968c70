import type { EventOf } from './contract';
import type {
  consulServersChanged,
  podCreated,
  sealed,
  secretRotated,
  unsealed,
  unsealFailed,
  vmconfigCollected,
} from './contracts';
import { Topics, type Topic } from './topics';

const at = '2026-11-28T10:00:00.000Z';

/**
 * One valid payload per topic: the reference example in the docs, the demo's events and the
 * base that tests mutate into invalid ones.
 */
export const exampleEvents: {
  [Topics.podCreated]: EventOf<typeof podCreated>;
  [Topics.secretRotated]: EventOf<typeof secretRotated>;
  [Topics.sealed]: EventOf<typeof sealed>;
  [Topics.unsealed]: EventOf<typeof unsealed>;
  [Topics.unsealFailed]: EventOf<typeof unsealFailed>;
  [Topics.vmconfigCollected]: EventOf<typeof vmconfigCollected>;
  [Topics.consulServersChanged]: EventOf<typeof consulServersChanged>;
} & Record<Topic, unknown> = {
  [Topics.podCreated]: {
    admissionUid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    namespace: 'shop',
    generateName: 'web-7d9f8c6b5-',
    owner: { kind: 'ReplicaSet', name: 'web-7d9f8c6b5' },
    serviceAccount: 'web',
    role: 'web',
    mode: 'sidecar',
    restartOnRotate: false,
    secrets: [{ name: 'db', path: 'secret/data/shop/db' }],
    injectedAt: at,
  },
  [Topics.secretRotated]: {
    path: 'secret/data/shop/db',
    kind: 'kv-v2',
    version: 4,
    previousVersion: 3,
    changedAt: at,
    detectedAt: at,
    podCount: 12,
  },
  [Topics.sealed]: {
    node: 'https://vault-0.vault-internal:8200',
    cluster: 'vault-cluster-1',
    detectedAt: at,
    initialized: true,
    threshold: 3,
    shares: 5,
    progress: 0,
    version: '2.4.1',
  },
  [Topics.unsealed]: {
    node: 'https://vault-0.vault-internal:8200',
    unsealedAt: at,
    durationMs: 412,
    sharesUsed: 3,
  },
  [Topics.unsealFailed]: {
    node: 'https://vault-0.vault-internal:8200',
    failedAt: at,
    reason: 'kms-unavailable',
    message: 'transit key unseal-keeper: connection refused',
    attempt: 2,
  },
  [Topics.vmconfigCollected]: {
    node: 'db-01',
    kvKey: 'vm-config/db-01',
    modifyIndex: 4812,
    changed: ['packages', 'kernel'],
    firstSeen: false,
    factsSha256: 'a'.repeat(64),
    collectedAt: at,
  },
  [Topics.consulServersChanged]: {
    datacenter: 'dc1',
    servers: [
      { address: '10.1.0.12:8300', healthy: true, leader: true },
      { address: '10.1.0.17:8300', healthy: true, leader: false },
    ],
    added: ['10.1.0.17:8300'],
    removed: ['10.1.0.9:8300'],
    leader: '10.1.0.12:8300',
    previousLeader: '10.1.0.12:8300',
    changedAt: at,
  },
};
