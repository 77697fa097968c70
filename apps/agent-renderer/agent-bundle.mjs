// Bundles the injected agent (src/agent.ts) into one JavaScript file for `node agent.js`.
// Start-up is paid by every pod, so code that only some configurations use is not in the
// main bundle (V8 pre-parses all of it) and is not evaluated at start:
// - built-ins needed on some paths only (https/tls for an https Vault, child_process for a
//   template command, crypto for temporary names) are required on first use;
// - `yaml` (parseYAML) and `re2js` (regexMatch and friends) are bundled to their own files
//   beside agent.js, under node_modules/, and required on first use;
// - @cdktf/hcl2json (HCL configs, a Go WebAssembly module) likewise, with its .wasm.
// Usage: node apps/agent-renderer/agent-bundle.mjs [outfile]   (default dist/agent-renderer/agent.js)
import { build } from 'esbuild';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = process.argv[2] ?? join(root, 'dist', 'agent-renderer', 'agent.js');
const outdir = dirname(outfile);
const requireHere = createRequire(join(root, 'package.json'));

const LAZY_BUILTINS = ['http', 'https', 'tls', 'net', 'child_process', 'crypto'];
const LAZY_PACKAGES = ['yaml', 're2js'];

/** A module whose exports are getters that require the real module on first access. */
function lazyShim(specifier) {
  const names = Object.keys(requireHere(specifier));
  return [
    `let m; const load = () => (m ??= require(${JSON.stringify(specifier)}));`,
    ...names.map((k) => `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });`),
  ].join('\n');
}

const lazy = {
  name: 'lazy-modules',
  setup(b) {
    const pattern = new RegExp(`^((node:)?(${LAZY_BUILTINS.join('|')})|${LAZY_PACKAGES.join('|')})$`);
    b.onResolve({ filter: pattern }, (args) => {
      if (args.namespace === 'lazy') return { path: args.path, external: true };
      const builtin = !LAZY_PACKAGES.includes(args.path);
      return { path: builtin ? `node:${args.path.replace(/^node:/, '')}` : args.path, namespace: 'lazy' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: lazyShim(args.path), loader: 'js' }));
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'external', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [join(root, 'apps', 'agent-renderer', 'src', 'agent.ts')],
  tsconfig: join(root, 'tsconfig.base.json'),
  external: ['@cdktf/hcl2json'],
  plugins: [lazy],
  outfile,
});

// Each lazily loaded package: one CommonJS file at node_modules/<name>/index.js beside agent.js.
for (const name of LAZY_PACKAGES) {
  const target = join(outdir, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  await build({ ...common, entryPoints: [requireHere.resolve(name)], outfile: join(target, 'index.js') });
  writeFileSync(join(target, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
}

// hcl2json reads main.wasm.gz and wasm/ relative to its lib/ directory: keep that layout.
const hclSource = join(root, 'node_modules', '@cdktf', 'hcl2json');
const hclTarget = join(outdir, 'node_modules', '@cdktf', 'hcl2json');
mkdirSync(join(hclTarget, 'lib'), { recursive: true });
cpSync(join(hclSource, 'main.wasm.gz'), join(hclTarget, 'main.wasm.gz'));
cpSync(join(hclSource, 'wasm'), join(hclTarget, 'wasm'), { recursive: true });
cpSync(join(hclSource, 'package.json'), join(hclTarget, 'package.json'));
await build({ ...common, minify: false, entryPoints: [join(hclSource, 'lib', 'index.js')], external: ['../wasm/*'], outfile: join(hclTarget, 'lib', 'index.js') });

console.log(outfile);
