import { loadUnsealKeeperConfig } from './unseal-keeper.config';

describe('unseal-keeper configuration', () => {
  const transit = {
    UNSEAL_KEEPER_KMS_PROVIDER: 'transit',
    UNSEAL_KEEPER_TRANSIT_ADDRESS: 'http://127.0.0.1:8201',
    UNSEAL_KEEPER_TRANSIT_TOKEN: 'kms-token-value',
    UNSEAL_KEEPER_TRANSIT_KEY: 'unseal',
  };

  it('reads a transit setup with defaults', () => {
    expect(loadUnsealKeeperConfig({ ...transit, UNSEAL_KEEPER_VAULT_ADDRESSES: 'http://a:8200, http://b:8200/' })).toMatchObject({
      KMS_PROVIDER: 'transit',
      VAULT_ADDRESSES: ['http://a:8200', 'http://b:8200'],
      KEY_STORE: 'file',
      INIT: false,
      INIT_SHARES: 5,
      INIT_THRESHOLD: 3,
      POLL_INTERVAL_MS: 500,
    });
  });

  it('watches only when no KMS is configured', () => {
    expect(loadUnsealKeeperConfig({})).toMatchObject({ KMS_PROVIDER: 'none', VAULT_ADDRESSES: ['http://127.0.0.1:8200'] });
  });

  it('discovers the nodes behind a Service instead of a list', () => {
    const config = loadUnsealKeeperConfig({ ...transit, UNSEAL_KEEPER_KUBERNETES_SERVICE: 'vault/vault-internal' });
    expect(config).toMatchObject({ KUBERNETES_SERVICE: 'vault/vault-internal', KUBERNETES_SERVICE_PORT: 'http', KUBERNETES_SERVICE_SCHEME: 'http' });
    expect(config.VAULT_ADDRESSES).toBeUndefined();
  });

  it.each([
    [{ ...transit, UNSEAL_KEEPER_KUBERNETES_SERVICE: 'vault', UNSEAL_KEEPER_VAULT_ADDRESSES: 'http://a:8200' }, /UNSEAL_KEEPER_VAULT_ADDRESSES and UNSEAL_KEEPER_KUBERNETES_SERVICE are both set/],
    [{ UNSEAL_KEEPER_KUBERNETES_SERVICE: 'a/b/c' }, /UNSEAL_KEEPER_KUBERNETES_SERVICE="a\/b\/c": must be a Service name or namespace\/name/],
    [{ UNSEAL_KEEPER_KUBERNETES_SERVICE: 'Vault' }, /UNSEAL_KEEPER_KUBERNETES_SERVICE="Vault": must be a Service name/],
    [{ UNSEAL_KEEPER_KUBERNETES_SERVICE_SCHEME: 'ftp' }, /UNSEAL_KEEPER_KUBERNETES_SERVICE_SCHEME="ftp": must be http or https/],
    [{ UNSEAL_KEEPER_INIT: 'true' }, /UNSEAL_KEEPER_INIT=true needs a KMS to encrypt the shares: set UNSEAL_KEEPER_KMS_PROVIDER/],
    [{ UNSEAL_KEEPER_KMS_PROVIDER: 'gcp-kms' }, /UNSEAL_KEEPER_KMS_PROVIDER="gcp-kms": must be one of/],
    [{ UNSEAL_KEEPER_KMS_PROVIDER: 'transit', UNSEAL_KEEPER_TRANSIT_KEY: 'k' }, /UNSEAL_KEEPER_TRANSIT_ADDRESS=unset: required when UNSEAL_KEEPER_KMS_PROVIDER=transit/],
    [{ UNSEAL_KEEPER_KMS_PROVIDER: 'aws-kms', UNSEAL_KEEPER_AWS_REGION: 'eu-west-1' }, /UNSEAL_KEEPER_AWS_KMS_KEY_ID=unset: required/],
    [{ UNSEAL_KEEPER_KMS_PROVIDER: 'azure-key-vault', UNSEAL_KEEPER_AZURE_KEY_NAME: 'k' }, /UNSEAL_KEEPER_AZURE_KEY_VAULT_URL=unset/],
    [{ UNSEAL_KEEPER_KMS_PROVIDER: 'local-key-file' }, /UNSEAL_KEEPER_LOCAL_KEY_FILE=unset/],
    [{ ...transit, UNSEAL_KEEPER_INIT_SHARES: '3', UNSEAL_KEEPER_INIT_THRESHOLD: '4' }, /UNSEAL_KEEPER_INIT_THRESHOLD=4: must not exceed UNSEAL_KEEPER_INIT_SHARES=3/],
    [{ ...transit, UNSEAL_KEEPER_VAULT_ADDRESSES: 'vault:8200' }, /UNSEAL_KEEPER_VAULT_ADDRESSES="vault:8200": each entry must be an http\(s\) URL/],
    [{ ...transit, UNSEAL_KEEPER_KEY_STORE: 's3' }, /UNSEAL_KEEPER_KEY_STORE=\(hidden\): must be file, consul or kubernetes/],
  ])('names the variable for %p', (env, message) => {
    expect(() => loadUnsealKeeperConfig(env)).toThrow(message);
  });

  it('never echoes the KMS token', () => {
    expect(() => loadUnsealKeeperConfig({ ...transit, UNSEAL_KEEPER_TRANSIT_TOKEN: 'x'.repeat(5000) })).toThrow(/UNSEAL_KEEPER_TRANSIT_TOKEN=\(hidden\)/);
  });
});
