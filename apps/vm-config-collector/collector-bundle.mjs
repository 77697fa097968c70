// Builds the collector into one file to copy onto a VM.
// - dist/vm-config-collector/collector.js: one esbuild bundle for `node collector.js` (Node 20).
// - with --sea: dist/vm-config-collector/vm-config-collector, a Node single executable
//   application (this machine's node binary with the bundle injected by postject): no Node needed
//   on the VM, same CPU architecture and a glibc at least as new as this machine's.
// Usage: node apps/vm-config-collector/collector-bundle.mjs [--sea]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'vm-config-collector');
const bundle = join(outdir, 'collector.js');

await build({
  entryPoints: [join(root, 'apps/vm-config-collector/src/collector/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  outfile: bundle,
  tsconfig: join(root, 'tsconfig.base.json'),
  logLevel: 'error',
});
console.log(bundle);

if (process.argv.includes('--sea')) {
  const blob = join(outdir, 'collector.blob');
  const config = join(outdir, 'sea-config.json');
  const binary = join(outdir, 'vm-config-collector');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  copyFileSync(process.execPath, binary);
  execFileSync(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'inherit' });
  console.log(binary);
}
