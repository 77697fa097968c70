import { VaultClient } from '@opzero/vault';
import type { Kms } from './kms';
import { LOCAL_KEY_FILE_WARNING, LocalKeyFileKms } from './local-key-file.kms';
import { TransitKms } from './transit.kms';

/** Everything needed to build one provider; the app's config maps its variables onto this. */
export type KmsSettings =
  | { provider: 'transit'; address: string; token: string; key: string; mount?: string; namespace?: string }
  | { provider: 'aws-kms'; keyId: string; region: string; endpoint?: string }
  | { provider: 'azure-key-vault'; vaultUrl: string; keyName: string; keyVersion?: string }
  | { provider: 'local-key-file'; path: string };

/**
 * Builds the configured provider. `warn` receives the local-key-file warning. The AWS and Azure
 * SDKs are loaded only when their provider is chosen: loaded, they hold about 35 MiB of a
 * process that uses neither.
 */
export async function createKms(settings: KmsSettings, warn: (message: string) => void): Promise<Kms> {
  switch (settings.provider) {
    case 'transit':
      return new TransitKms({
        client: new VaultClient({ address: settings.address, token: settings.token, ...(settings.namespace ? { namespace: settings.namespace } : {}) }),
        key: settings.key,
        ...(settings.mount ? { mount: settings.mount } : {}),
      });
    case 'aws-kms':
      return new (await import('./aws.kms')).AwsKms(settings);
    case 'azure-key-vault':
      return new (await import('./azure-key-vault.kms')).AzureKeyVaultKms(settings);
    case 'local-key-file':
      warn(LOCAL_KEY_FILE_WARNING);
      return LocalKeyFileKms.fromFile(settings.path);
  }
}
