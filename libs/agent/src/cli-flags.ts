import { ConfigFieldError } from './config/duration';

/** Parsed `-name=value` / `-name value` / `-bool` flags; unknown flags are refused by name. */
export function parseFlags(args: readonly string[], known: Readonly<Record<string, 'string' | 'bool' | 'list'>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new ConfigFieldError(arg, 'unexpected argument');
    const name = m[1] as string;
    const kind = known[name];
    if (!kind) throw new ConfigFieldError(`-${name}`, 'unknown flag');
    let value = m[2];
    if (value === undefined) {
      if (kind === 'bool') value = 'true';
      else {
        value = args[++i];
        if (value === undefined) throw new ConfigFieldError(`-${name}`, 'needs a value');
      }
    }
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

export function flagBool(flags: Map<string, string[]>, name: string): boolean | undefined {
  const v = flags.get(name)?.at(-1);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigFieldError(`-${name}`, `${JSON.stringify(v)} is not a boolean`);
}
