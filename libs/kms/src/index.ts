export * from './kms';
export * from './transit.kms';
// AWS and Azure providers come through createKms, which loads their SDKs only when chosen.
export type { AwsKmsOptions } from './aws.kms';
export type { AzureKeyVaultKmsOptions, AzureKeyWrapper } from './azure-key-vault.kms';
export * from './local-key-file.kms';
export * from './create-kms';
