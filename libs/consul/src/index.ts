export * from './consul-client';
