import type { FactSources } from '../fact-sources';

/** What one fact family sees: the machine's sources and a place to say what it skipped and why. */
export interface CollectorContext {
  sources: FactSources;
  note(text: string): void;
  /** The collector's own version. */
  version?: string;
}

/** One fact family: returns its section, or null when nothing could be read. */
export type Collector = (context: CollectorContext) => Promise<Record<string, unknown> | null>;

/** `key: value` / `key=value` lines into a map (os-release, meminfo, cpuinfo blocks). */
export function parseKeyValues(text: string, separator: ':' | '='): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(separator);
    if (at <= 0) continue;
    values.set(line.slice(0, at).trim(), unquote(line.slice(at + 1).trim()));
  }
  return values;
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}

/** A trimmed file's text, or null. */
export async function readTrimmed(context: CollectorContext, path: string): Promise<string | null> {
  const text = await context.sources.readText(path, 64 * 1024);
  return text === null ? null : text.trim();
}
