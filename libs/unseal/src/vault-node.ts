import { HealthProbe } from './health-probe';
import { VaultClient, type HealthStatus, type InitRequest, type InitResult, type SealStatus } from '@opzero/vault';

/** The calls the keeper makes on one Vault node; VaultClient (libs/vault) provides them. */
export interface VaultNode {
  /** The node's API address: the key of its events and metrics. */
  readonly address: string;
  /** `sys/health`: the poll (tells active, standby, sealed and uninitialised apart). */
  health(): Promise<HealthStatus>;
  /** `sys/seal-status`: threshold, progress and seal type, read once a node is sealed. */
  sealStatus(): Promise<SealStatus>;
  unseal(key: string, options?: { migrate?: boolean }): Promise<SealStatus>;
  unsealReset(): Promise<SealStatus>;
  init(request: InitRequest): Promise<InitResult>;
  /** Releases kept-alive connections once the node is no longer watched. */
  close?(): void;
}

/** A VaultNode over libs/vault. No token: health, seal-status, unseal and init need none. */
export function vaultNode(address: string, timeoutMs = 10_000): VaultNode {
  const client = new VaultClient({ address, timeoutMs });
  const probe = new HealthProbe(address, timeoutMs);
  return {
    address,
    health: () => probe.health(),
    sealStatus: () => client.sealStatus(),
    unseal: (key, options) => client.unseal(key, options ?? {}),
    unsealReset: () => client.unsealReset(),
    init: (request) => client.init(request),
    close: () => probe.close(),
  };
}
