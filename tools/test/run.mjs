#!/usr/bin/env node
// The repository's one test command (npm test): sets up real Kafka / OpenBao / Consul
// (tools/infra/setup.sh, idempotent), typechecks, lints with module boundaries, runs every unit
// and integration test, and ends with the line `N passed, N failed, N skipped`.
// Exits non-zero on any failure. Extra arguments go to Jest (e.g. a path filter).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const env = { ...process.env, NX_DAEMON: 'false', KAFKAJS_NO_PARTITIONER_WARNING: '1' };
const bin = (name) => join(root, 'node_modules/.bin', name);
let failedChecks = 0;

function step(title, command, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(`=== ${title}: ${ok ? 'ok' : `FAILED (status ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

if (!step('real servers (tools/infra/setup.sh)', 'bash', [join(root, 'tools/infra/setup.sh')])) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
if (!step('typecheck (strict)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])) failedChecks++;
mkdirSync(join(root, 'tmp'), { recursive: true });
step('project graph', bin('nx'), ['graph', '--file=tmp/project-graph.json']);
if (!step('lint and module boundaries', bin('eslint'), ['.', '--max-warnings=0'])) failedChecks++;

const results = join(root, 'tmp/jest-results.json');
step('unit and integration tests', bin('jest'), ['--json', `--outputFile=${results}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = failedChecks;
let skipped = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    if (suite.status === 'failed') process.stdout.write(`failed: ${suite.name.replace(`${root}/`, '')}\n`);
  }
} else {
  failed += 1;
}
if (passed === 0) failed += 1; // a run that executed no test is not a pass
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed === 0 ? 0 : 1);
