export * from './kv-path';
export * from './path-index';
export * from './version-store';
export * from './rotation-watcher';
export * from './vault-metadata-source';
export * from './restart-coordinator';
export * from './rotation-engine';
