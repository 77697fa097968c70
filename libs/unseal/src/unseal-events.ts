import type { Sealed, UnsealFailed, Unsealed } from '@opzero/contracts';

/**
 * Where the keeper reports what happened; the app publishes them on the bus. Calls return at
 * once: the keeper never waits for Kafka to unseal a node.
 */
export interface UnsealEvents {
  sealed(event: Sealed): void;
  unsealed(event: Unsealed): void;
  unsealFailed(event: UnsealFailed): void;
}
