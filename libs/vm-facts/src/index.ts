export * from './fact-sources';
export * from './fact-validation';
export * from './fact-families';
export * from './collect-facts';
export * from './plugins';
export * from './ohai-input';
export { parseRoutes } from './collectors/network';
