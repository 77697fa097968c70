export * from './kafka';
export * from './vault';
export * from './consul';
export * from './server';
export * from './ports';
export * from './wait-for';
export * from './runtime-env';
