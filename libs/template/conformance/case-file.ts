import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';

/** One conformance case: a template, and what the real `bao agent` rendered from it. */
export const caseSchema = z.object({
  template: z.string(),
  error_on_missing_key: z.boolean().optional(),
  /** The agent's left_delimiter / right_delimiter. */
  left_delimiter: z.string().optional(),
  right_delimiter: z.string().optional(),
  /** Both renderers must fail. */
  fails: z.boolean().optional(),
  /** The agent's error as `line:col: message` (error-text.ts); ours must read the same. */
  error: z.string().optional(),
  /** Output the agent rendered when the case was recorded. */
  expected: z.string().optional(),
  /** Why the recorded output cannot repeat (timestamps, request ids): compare with a fresh agent only. */
  volatile: z.string().optional(),
  /** Where identity is impossible (the clock): why, and the pattern both outputs must match. */
  format_only: z.object({ reason: z.string(), regex: z.string() }).optional(),
});
export type ConformanceCase = z.infer<typeof caseSchema> & { id: string; construct: string; file: string };

export const CASES_DIR = join(__dirname, 'cases');

export function loadCases(dir = CASES_DIR): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.case.yaml')) {
        const parsed = caseSchema.safeParse(parse(readFileSync(p, 'utf8')));
        if (!parsed.success) throw new Error(`${p}: ${parsed.error.message}`);
        const id = relative(dir, p).replace(/\.case\.yaml$/, '');
        out.push({ ...parsed.data, id, construct: id.split('/')[0]!, file: p });
      }
    }
  };
  walk(dir);
  return out;
}

export function serializeCase(c: z.infer<typeof caseSchema>): string {
  const text = stringify(caseSchema.parse(c), { lineWidth: 0, blockQuote: 'literal' });
  // Whitespace is the point of many cases: refuse a serialisation that does not read back identically.
  const back = caseSchema.parse(parse(text));
  if (back.template !== c.template || back.expected !== c.expected) throw new Error('case does not round-trip through YAML');
  return text;
}
