/**
 * Builds an app into plain JavaScript that `node` runs without a TypeScript loader
 * (@swc-node/register alone holds about 90 MB of RSS per process):
 * - dist/apps/<app>/main.js: apps/<app>/src/main.ts and every workspace lib and npm package it
 *   imports, in one CommonJS file (and worker.js likewise from src/worker.ts, if the app has
 *   one). swc compiles each file (it keeps the decorator metadata Nest's dependency injection
 *   reads; esbuild alone drops it), esbuild bundles them with the workspace's path aliases.
 * - dist/apps/<app>/node_modules/@kubernetes/client-node: that package (ES modules only, imported
 *   lazily by libs/kube) bundled to one file, so the directory is the whole production payload:
 *   copy it anywhere and run `node main.js`, no `npm install`.
 * Usage: node --require @swc-node/register tools/build/bundle-app.ts <app>... (default: every app)
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from '@swc/core';
import { build, type Plugin } from 'esbuild';

const ROOT = join(__dirname, '../..');
const KUBERNETES_CLIENT = '@kubernetes/client-node';

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

/** The directory an app's production build is written to (git-ignored). */
export function appDist(app: string): string {
  return join(ROOT, 'dist', 'apps', app);
}

/** Every app under apps/, by directory name. */
export async function allApps(): Promise<string[]> {
  const entries = await readdir(join(ROOT, 'apps'), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Bundles apps/<app>/src/main.ts into dist/apps/<app>/main.js (the same way for every app); returns its path. */
export async function bundleApp(app: string): Promise<string> {
  const outfile = join(appDist(app), 'main.js');
  // The directory is the image's payload: nothing left over from earlier builds goes with it.
  await rm(appDist(app), { recursive: true, force: true });
  // An app may split off src/worker.ts (the injector: its cluster primary loads main.js only,
  // its workers worker.js); it becomes worker.js beside main.js, with its own copy of what it imports.
  const worker = join(ROOT, 'apps', app, 'src/worker.ts');
  await build({
    entryPoints: { main: join(ROOT, 'apps', app, 'src/main.ts'), ...(existsSync(worker) ? { worker } : {}) },
    outdir: appDist(app),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    plugins: [typescriptWithDecorators],
    // Optional peers Nest, Fastify and pino require only when they are installed and used; the
    // Kubernetes client is ES modules only and gets its own bundle beside main.js.
    external: [
      '@nestjs/microservices', '@nestjs/websockets', '@nestjs/platform-express', 'class-transformer', 'class-validator',
      '@fastify/static', '@fastify/view', 'pino-pretty', KUBERNETES_CLIENT,
    ],
    logLevel: 'error',
  });
  await bundleKubernetesClient(join(appDist(app), 'node_modules', KUBERNETES_CLIENT));
  return outfile;
}

/** @kubernetes/client-node as one ES module file in `dir`, resolvable by `import()` from main.js. */
async function bundleKubernetesClient(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [require.resolve(KUBERNETES_CLIENT)],
    outfile: join(dir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    // Its CommonJS dependencies call require() for built-ins, which an ES module lacks.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: KUBERNETES_CLIENT, type: 'module', main: 'index.mjs' }));
}

if (require.main === module) {
  const requested = process.argv.slice(2);
  (requested.length > 0 ? Promise.resolve(requested) : allApps())
    .then(async (apps) => {
      for (const app of apps) process.stdout.write(`${await bundleApp(app)}\n`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
