import { ConsulClient } from '@opzero/consul';
import { startConsul, type ConsulServer } from '@opzero/testing';
import { ConsulKeyStore } from './consul.key-store';
import { keyStoreContract } from './testing/key-store-contract';

describe('ConsulKeyStore on a real Consul', () => {
  let consul: ConsulServer;
  let n = 0;
  beforeAll(async () => {
    consul = await startConsul();
  }, 120_000);
  afterAll(() => consul?.stop());

  keyStoreContract(async () => new ConsulKeyStore(new ConsulClient({ address: consul.address }), `opzero/unseal/test-${++n}`));
});
