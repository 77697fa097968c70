/**
 * Builds the injector into one JavaScript file (dist/injector/main.js) that plain `node` runs,
 * without @swc-node/register compiling TypeScript in every process at start: that loader alone
 * holds about 90 MB of RSS per process (the primary and each worker). swc compiles each file
 * (it keeps the decorator metadata Nest's dependency injection reads; esbuild alone drops it),
 * esbuild bundles them with the workspace's path aliases. Packages Nest loads only if present
 * stay external.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from '@swc/core';
import { build, type Plugin } from 'esbuild';

const ROOT = join(__dirname, '../../..');
/** Where the bundle is written (git-ignored). */
export const INJECTOR_BUNDLE = join(ROOT, 'dist/injector/main.js');

const typescriptWithDecorators: Plugin = {
  name: 'swc-decorator-metadata',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const output = await transform(source, {
        filename: path,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      });
      return { contents: output.code, loader: 'js' };
    });
  },
};

/** Bundles apps/injector/src/main.ts; returns the path of the bundle. */
export function bundleInjector(): Promise<string> {
  return bundleApp('injector');
}

/** Bundles apps/<app>/src/main.ts into dist/<app>/main.js (the same way for every app); returns its path. */
export async function bundleApp(app: string): Promise<string> {
  const outfile = join(ROOT, 'dist', app, 'main.js');
  await build({
    entryPoints: [join(ROOT, 'apps', app, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    plugins: [typescriptWithDecorators],
    // Optional peers Nest, Fastify and pino require only when they are installed and used.
    external: [
      '@nestjs/microservices', '@nestjs/websockets', '@nestjs/platform-express', 'class-transformer', 'class-validator',
      '@fastify/static', '@fastify/view', 'pino-pretty', '@kubernetes/client-node',
    ],
    logLevel: 'error',
  });
  return outfile;
}

if (require.main === module) {
  bundleInjector().then(
    (path) => process.stdout.write(`${path}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
