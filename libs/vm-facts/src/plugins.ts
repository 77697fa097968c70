import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runBounded } from './fact-sources';
import { DEFAULT_FACT_LIMITS, factProblem, SECTION_NAME, secretKeyPath } from './fact-validation';

/** Where plugins live and what each may use. */
export interface PluginOptions {
  directory: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Section names the collector produces itself; a plugin may not replace them. */
  reserved?: ReadonlySet<string>;
}

/** Accepted plugin sections, and the plugins refused with the reason (reported, never sent). */
export interface PluginResults {
  sections: Record<string, Record<string, unknown>>;
  failures: { plugin: string; reason: string }[];
}

/**
 * Runs every executable in the directory (no shell, empty environment, timeout, output limit)
 * one after the other; each must print one JSON object, merged under the file's name (without
 * extension). Output that fails validation is a failure, not a section.
 */
export async function runPlugins(options: PluginOptions): Promise<PluginResults> {
  const results: PluginResults = { sections: {}, failures: [] };
  const names = await readdir(options.directory).catch(() => null);
  if (names === null) return results;
  for (const file of names.sort()) {
    const path = join(options.directory, file);
    if (!(await access(path, constants.X_OK).then(() => true, () => false))) continue;
    const name = file.replace(/\.[^.]*$/, '').toLowerCase();
    const reason = await pluginProblem(name, options);
    const output = reason ? null : await runBounded(path, [], { timeoutMs: options.timeoutMs ?? 10_000, maxBytes: options.maxBytes ?? 256 * 1024 });
    const parsed = reason || output === null ? null : parseObject(output);
    const failure = reason ?? (output === null ? 'failed, timed out or printed more than the limit' : (parsed?.problem ?? null));
    if (failure) results.failures.push({ plugin: file, reason: failure });
    else results.sections[name] = parsed!.value as Record<string, unknown>;
  }
  return results;
}

async function pluginProblem(name: string, options: PluginOptions): Promise<string | null> {
  if (!SECTION_NAME.test(name)) return `the name "${name}" is not a section name (a-z, 0-9, _ and -, at most 64)`;
  if (options.reserved?.has(name)) return `the name "${name}" is a built-in fact family`;
  return null;
}

function parseObject(output: string): { value: unknown; problem: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return { value: null, problem: 'the output is not JSON' };
  }
  const problem = factProblem(value, DEFAULT_FACT_LIMITS);
  const secret = problem ? null : secretKeyPath(value);
  return { value, problem: problem ?? (secret ? `${secret}: a key named like a secret` : null) };
}
