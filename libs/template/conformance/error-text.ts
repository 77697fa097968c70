import { TemplateError } from '../src';
import { sprintf } from '../src/core/go-format';

/**
 * Errors are compared as `line:col: message` (parse errors: `line: message`, Go gives no
 * column there): the template name and the `executing "..." at <...>` context differ by
 * construction between the agent's temporary files and ours, the rest must not.
 */

/** The agent's template error out of its log, or undefined when it failed otherwise. */
export function agentErrorText(log: string): string | undefined {
  // hclog quotes the value by escaping double quotes only (backslashes are left as they were),
  // so the value runs to the `" backoff=` that ends the line.
  const line = /template server error: error="([\s\S]*?)" backoff=/.exec(log);
  if (!line) return undefined;
  const text = line[1]!.replace(/\\"/g, '"');
  const m = /: (execute|parse): template: [^:]*:(\d+)(?::(\d+))?: (?:executing "[^"]*" at <.*?>: )?([\s\S]*)$/.exec(text);
  if (!m) return text.replace(/^[^:]*: /, '');
  return m[3] === undefined ? `${m[2]}: ${m[4]}` : `${m[2]}:${m[3]}: ${m[4]}`;
}

/**
 * Our error in the same shape. The agent logs its error through a printf once more, so
 * `%` sequences in it come out as Go's no-argument fmt renders them; ours goes through
 * the same (ported) routine before comparing.
 */
export function libErrorText(err: unknown): string {
  if (!(err instanceof TemplateError)) return err instanceof Error ? err.message : String(err);
  const detail = err.detail.replace(/^executing "[^"]*": /, '');
  const where = err.phase === 'parse' ? `${err.line}` : `${err.line}:${err.column}`;
  return `${where}: ${sprintf(detail, [])}`;
}
