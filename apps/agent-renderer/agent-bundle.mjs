// Bundles the injected agent (src/agent.ts) into one JavaScript file for `node agent.js`.
// The `yaml` package (needed only by templates calling parseYAML) is loaded on first use:
// evaluating it at start costs about 9 MiB and 30 ms that every pod would pay.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { cpSync, mkdirSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = process.argv[2] ?? join(root, 'dist', 'agent-renderer', 'agent.js');

const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.namespace === 'lazy-yaml' ? undefined : { path: 'yaml', namespace: 'lazy-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({
      contents: 'let real; const load = () => (real ??= require("yaml")); module.exports = { parse: (...a) => load().parse(...a), stringify: (...a) => load().stringify(...a) };',
      loader: 'js',
      resolveDir: root,
    }));
  },
};

await build({
  entryPoints: [join(root, 'apps', 'agent-renderer', 'src', 'agent.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'external',
  tsconfig: join(root, 'tsconfig.base.json'),
  external: ['@cdktf/hcl2json'],
  plugins: [lazyYaml],
  outfile,
  logLevel: 'warning',
});
// HCL (-config=FILE in ConfigMap mode) needs @cdktf/hcl2json, a Go WebAssembly module read from
// its package directory; it is loaded only for HCL, so it ships beside the bundle as
// node_modules/@cdktf/hcl2json (its JavaScript bundled with fs-extra, the .wasm copied).
const hclSource = join(root, 'node_modules', '@cdktf', 'hcl2json');
const hclTarget = join(dirname(outfile), 'node_modules', '@cdktf', 'hcl2json');
mkdirSync(join(hclTarget, 'lib'), { recursive: true });
cpSync(join(hclSource, 'main.wasm.gz'), join(hclTarget, 'main.wasm.gz'));
cpSync(join(hclSource, 'wasm'), join(hclTarget, 'wasm'), { recursive: true });
cpSync(join(hclSource, 'package.json'), join(hclTarget, 'package.json'));
await build({
  entryPoints: [join(hclSource, 'lib', 'index.js')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['../wasm/*'],
  outfile: join(hclTarget, 'lib', 'index.js'),
  logLevel: 'warning',
});
console.log(outfile);
