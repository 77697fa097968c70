/**
 * The injector's entry point, kept light on purpose: it loads node:cluster and the cluster
 * supervisor only, so with INJECTOR_WORKERS > 1 the primary, which just forks and supervises
 * the workers, stays near a bare node process (about 40 MB of RSS, not the 90 MB it held with
 * Nest, pino and zod loaded for nothing). Each worker, or the one process when WORKERS is 1,
 * runs worker.ts, which reads and validates the whole configuration (exit 78 naming a bad
 * variable: the primary then exits 78 too).
 */
import { extname, join } from 'node:path';
import { runClustered } from '@opzero/observability/cluster';

/**
 * INJECTOR_WORKERS read as the configuration reads it (a positive integer, default 1). Anything
 * else means one process, whose configuration check in worker.ts exits 78 naming the variable.
 */
function workerCount(raw: string | undefined): number {
  const count = Number(raw);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

// worker.js beside the bundled main.js (tools/build/bundle-app.ts); worker.ts under a TypeScript
// loader. A computed path, so the bundler leaves worker.js a separate file.
const worker = join(__dirname, `worker${extname(__filename)}`);

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker file is loaded only where it runs (see above)
void runClustered(workerCount(process.env['INJECTOR_WORKERS']), async () => void require(worker));
