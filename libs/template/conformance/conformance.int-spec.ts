import { parseTemplate } from '../src';
import { startVault, type VaultServer } from '@opzero/testing';
import { renderWithAgent } from './bao-agent';
import { loadCases, type ConformanceCase } from './case-file';
import { agentErrorText, libErrorText } from './error-text';
import { caseEnv } from './fixtures';
import { httpSecretSource } from './http-secret-source';
import { seedVault } from './seed-vault';

/**
 * Every case is rendered in this run by the real `bao agent` and by libs/template against
 * the same OpenBao; the outputs must be byte-identical (or both renders must fail). The
 * agent's output must also equal what the case file recorded, unless the case says why
 * it cannot (volatile data, or a clock checked by format only).
 */
// OPZERO_TEMPLATE_CASES=<id prefix> runs a subset while iterating (the full run takes minutes).
const only = process.env['OPZERO_TEMPLATE_CASES'];
const allCases = loadCases();
const cases = only ? allCases.filter((c) => c.id.startsWith(only)) : allCases;
type Outcome = { output: string } | { error: string };

let vault: VaultServer;
const agentOutcomes = new Map<string, Outcome>();

beforeAll(async () => {
  vault = await startVault({ mode: 'dev' });
  await seedVault(vault.address, vault.token);
  // One agent process renders every case expected to succeed; a failing template stops the
  // agent's runner, so each failing case has its own agent (about 0.15 s each; with Vault
  // retries off in bao-agent.ts none waits out a backoff). The batch is mostly one core
  // generating keys, so the failing cases run beside it rather than after it.
  const ok = cases.filter((c) => !c.fails);
  const renderBatch = async (): Promise<void> => {
    const batch = await renderWithAgent(vault.address, vault.token, ok.map(toAgent), caseEnv);
    for (const c of ok) {
      const output = batch.outputs.get(c.id);
      agentOutcomes.set(c.id, output === undefined ? { error: `not rendered (agent exit ${batch.exitCode})\n${batch.log.slice(-2000)}` } : { output });
    }
  };
  const queue = cases.filter((c) => c.fails);
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const r = await renderWithAgent(vault.address, vault.token, [toAgent(c)], caseEnv);
      const output = r.outputs.get(c.id);
      agentOutcomes.set(c.id, r.exitCode === 0 && output !== undefined ? { output } : { error: agentErrorText(r.log) ?? r.log.slice(-500) });
    }
  };
  await Promise.all([renderBatch(), worker(), worker(), worker()]);
}, 1_200_000);

afterAll(async () => {
  await vault?.stop();
});

function toAgent(c: ConformanceCase) {
  return { id: c.id, template: c.template, errorOnMissingKey: c.error_on_missing_key ?? false, leftDelim: c.left_delimiter, rightDelim: c.right_delimiter };
}

async function renderWithLib(c: ConformanceCase): Promise<Outcome> {
  try {
    const template = parseTemplate(c.template, {
      name: `${c.id}.tmpl`,
      errorOnMissingKey: c.error_on_missing_key ?? false,
      leftDelim: c.left_delimiter,
      rightDelim: c.right_delimiter,
    });
    return { output: await template.render({ source: httpSecretSource(vault.address, vault.token), env: caseEnv }) };
  } catch (err) {
    return { error: libErrorText(err) };
  }
}

describe('conformance with bao agent', () => {
  it('has at least 600 cases', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(600);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const agent = agentOutcomes.get(c.id)!;
    const lib = await renderWithLib(c);
    if (c.fails) {
      expect({ agentFailed: 'error' in agent, libFailed: 'error' in lib, lib }).toEqual({ agentFailed: true, libFailed: true, lib });
      // Recorded errors are compared as text: same position, same message.
      if (c.error !== undefined) {
        expect(agent).toEqual({ error: c.error });
        expect(lib).toEqual({ error: c.error });
      }
      return;
    }
    expect(agent).toHaveProperty('output');
    const agentOut = (agent as { output: string }).output;
    if (c.format_only) {
      const re = new RegExp(c.format_only.regex);
      expect(agentOut).toMatch(re);
      expect(lib).toHaveProperty('output');
      expect((lib as { output: string }).output).toMatch(re);
      return;
    }
    expect(lib).toEqual({ output: agentOut });
    if (!c.volatile) expect(agentOut).toBe(c.expected);
  });
});
