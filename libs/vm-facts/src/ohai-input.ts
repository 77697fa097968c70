import { readBounded } from './fact-sources';
import { factProblem, SECRET_NAME, SECTION_NAME } from './fact-validation';

/** Ohai attributes that describe the Ohai/Chef run rather than the VM. */
const RUN_ATTRIBUTES = new Set(['ohai_time', 'chef_packages', 'shard_seed', 'command', 'current_user']);

/**
 * Top-level attributes of a saved `ohai` JSON run that we do not collect ourselves (so teams'
 * Ohai plugins keep flowing), each validated; names suggesting secrets are dropped and reported.
 */
export async function readOhaiInput(
  path: string,
  ours: ReadonlySet<string>,
  maxBytes = 32 * 1024 * 1024,
): Promise<{ sections: Record<string, Record<string, unknown>>; notes: string[] }> {
  const text = await readBounded(path, maxBytes + 1);
  if (text === null) return { sections: {}, notes: [`ohai input ${path}: unreadable`] };
  if (Buffer.byteLength(text) > maxBytes) return { sections: {}, notes: [`ohai input ${path}: larger than ${maxBytes} bytes`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { sections: {}, notes: [`ohai input ${path}: not JSON`] };
  }
  const problem = factProblem(parsed, { maxDepth: 32, maxStringLength: 1024 * 1024, maxKeys: 2_000_000 });
  if (problem) return { sections: {}, notes: [`ohai input ${path}: ${problem}`] };
  const sections: Record<string, Record<string, unknown>> = {};
  const notes: string[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (ours.has(name) || RUN_ATTRIBUTES.has(name)) continue;
    if (SECRET_NAME.test(name) || !SECTION_NAME.test(name)) {
      notes.push(`ohai input: attribute "${name}" left out (name)`);
      continue;
    }
    sections[`ohai_${name}`] = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  }
  return { sections, notes };
}
