export * from './kms';
export * from './transit.kms';
export * from './aws.kms';
export * from './azure-key-vault.kms';
export * from './local-key-file.kms';
export * from './create-kms';
