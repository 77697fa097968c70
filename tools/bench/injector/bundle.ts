/**
 * The injector as one JavaScript file that plain `node` runs (no TypeScript loader at start).
 * The build itself is shared by every app: tools/build/bundle-app.ts.
 */
import { bundleApp } from '../../build/bundle-app';

export { bundleApp } from '../../build/bundle-app';

/** Bundles apps/injector/src/main.ts; returns the path of the bundle. */
export function bundleInjector(): Promise<string> {
  return bundleApp('injector');
}
