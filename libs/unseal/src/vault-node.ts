import { VaultClient, type InitRequest, type InitResult, type SealStatus } from '@opzero/vault';

/** The calls the keeper makes on one Vault node; VaultClient (libs/vault) provides them. */
export interface VaultNode {
  /** The node's API address: the key of its events and metrics. */
  readonly address: string;
  sealStatus(): Promise<SealStatus>;
  unseal(key: string, options?: { migrate?: boolean }): Promise<SealStatus>;
  unsealReset(): Promise<SealStatus>;
  init(request: InitRequest): Promise<InitResult>;
}

/** A VaultNode over libs/vault. No token: seal-status, unseal and init need none. */
export function vaultNode(address: string, timeoutMs = 10_000): VaultNode {
  const client = new VaultClient({ address, timeoutMs });
  return {
    address,
    sealStatus: () => client.sealStatus(),
    unseal: (key, options) => client.unseal(key, options ?? {}),
    unsealReset: () => client.unsealReset(),
    init: (request) => client.init(request),
  };
}
