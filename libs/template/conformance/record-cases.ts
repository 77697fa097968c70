/**
 * Records what the real agent renders for every case row into case files:
 *   node --require @swc-node/register libs/template/conformance/record-cases.ts
 * Starts an OpenBao through @opzero/testing, loads the fixtures, renders each row alone
 * with `bao agent` (so a failing row cannot hide another) and writes
 * cases/<construct>/<name>.case.yaml. Existing files without a row (hand-written cases)
 * get their `expected` refreshed the same way. `--only <id prefix>` records a subset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startVault } from '@opzero/testing';
import { renderWithAgent } from './bao-agent';
import { CASES_DIR, loadCases, serializeCase, type ConformanceCase } from './case-file';
import { caseRows } from './case-tables';
import { goExactRows } from './case-tables-go-exact';
import { errorRows } from './case-tables-errors';
import { sprigMoreRows } from './case-tables-sprig-more';
import { agentErrorText } from './error-text';
import { caseEnv } from './fixtures';
import { seedVault } from './seed-vault';

async function main(): Promise<void> {
  const vault = await startVault({ mode: 'dev' });
  try {
    await seedVault(vault.address, vault.token);
    const byId = new Map<string, Omit<ConformanceCase, 'expected' | 'fails' | 'error'>>();
    for (const c of loadCases()) byId.set(c.id, c);
    for (const r of [...caseRows, ...goExactRows, ...sprigMoreRows, ...errorRows]) {
      byId.set(`${r.construct}/${r.name}`, {
        id: `${r.construct}/${r.name}`,
        construct: r.construct,
        file: join(CASES_DIR, r.construct, `${r.name}.case.yaml`),
        template: r.template,
        ...(r.errorOnMissingKey ? { error_on_missing_key: true } : {}),
        ...(r.leftDelim ? { left_delimiter: r.leftDelim } : {}),
        ...(r.rightDelim ? { right_delimiter: r.rightDelim } : {}),
        ...(r.volatile ? { volatile: r.volatile } : {}),
        ...(r.formatOnly ? { format_only: r.formatOnly } : {}),
      });
    }
    // `--only <prefix>` records just the cases whose id starts with it.
    const only = process.argv.indexOf('--only') > 0 ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
    const all = [...byId.values()].filter((c) => !only || c.id.startsWith(only));
    let done = 0;
    const worker = async (): Promise<void> => {
      for (let c = all.shift(); c; c = all.shift()) {
        const result = await renderWithAgent(vault.address, vault.token, [{ id: c.id, template: c.template, errorOnMissingKey: c.error_on_missing_key ?? false, leftDelim: c.left_delimiter, rightDelim: c.right_delimiter }], caseEnv);
        const output = result.outputs.get(c.id);
        const failed = result.exitCode !== 0 || output === undefined;
        const { id: _id, construct: _construct, file, fails: _fails, error: _error, expected: _expected, ...body } = c as ConformanceCase;
        const error = failed ? agentErrorText(result.log) : undefined;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, serializeCase(failed ? { ...body, fails: true, ...(error === undefined ? {} : { error }) } : { ...body, expected: output }));
        done++;
        if (done % 50 === 0) process.stdout.write(`${done} cases recorded\n`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    process.stdout.write(`recorded ${done} cases into ${CASES_DIR}\n`);
  } finally {
    await vault.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
