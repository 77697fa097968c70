export * from './consul-client';
export * from './consul-error';
export * from './consul-types';
export * from './consul-tls';
