export * from './vault-client';
export * from './vault-error';
export * from './vault-options';
export * from './sys-types';
export * from './secret-types';
export * from './auth-types';
export * from './transit-types';
export { vaultPath, type VaultMethod } from './vault-transport';
