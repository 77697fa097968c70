import { parseKeyValues, type Collector, type CollectorContext } from './collector';

/** How one language's version is read: a cheap command (or file) and a parser of its output. */
interface LanguageProbe {
  name: string;
  binary: string;
  read(context: CollectorContext, path: string): Promise<string | null>;
  parse(text: string): Record<string, unknown> | null;
}

const VERSION_LIMITS = { timeoutMs: 3000, maxBytes: 64 * 1024, stderr: true };
const run = (...args: string[]) => (context: CollectorContext, path: string) => context.sources.run(path, args, VERSION_LIMITS);

/**
 * Java from its `release` file beside `bin/` (`JAVA_VERSION`, `JAVA_RUNTIME_VERSION`): the same
 * version Ohai gets from `java -version`, which starts a JVM (0.2 s wall, 37 MiB here).
 */
const javaRelease = async (context: CollectorContext, path: string) => {
  const real = await context.sources.realpath(path);
  return real ? context.sources.readText(real.replace(/\/bin\/java$/, '/release'), 64 * 1024) : null;
};

/** Every language Ohai reports that this machine class may have; each binary looked up first, run only if present. */
export const LANGUAGE_PROBES: readonly LanguageProbe[] = [
  { name: 'c', binary: 'gcc', read: run('-v'), parse: parseGcc },
  { name: 'go', binary: 'go', read: run('version'), parse: (text) => match(/^go version go(\S+)/m, text, (m) => ({ version: m[1] })) },
  { name: 'java', binary: 'java', read: javaRelease, parse: parseJavaRelease },
  { name: 'nodejs', binary: 'node', read: run('--version'), parse: (text) => match(/^v(\d+\.\d+\.\d+)/m, text, (m) => ({ version: m[1] })) },
  { name: 'perl', binary: 'perl', read: run('-V:version', '-V:archname'), parse: parsePerl },
  { name: 'python', binary: 'python3', read: run('-VV'), parse: parsePython },
  { name: 'ruby', binary: 'ruby', read: run('--version'), parse: parseRuby },
  { name: 'rust', binary: 'rustc', read: run('--version'), parse: (text) => match(/^rustc (\S+)/m, text, (m) => ({ version: m[1] })) },
  { name: 'php', binary: 'php', read: run('-v'), parse: (text) => match(/^PHP (\S+)/m, text, (m) => ({ version: m[1] })) },
  { name: 'lua', binary: 'lua', read: run('-v'), parse: (text) => match(/^Lua (\S+)/m, text, (m) => ({ version: m[1] })) },
];

/** Versions of the interpreters and compilers on the search path (Ohai `languages`), probed concurrently. */
export const languages: Collector = async (context) => {
  const found = await Promise.all(
    LANGUAGE_PROBES.map(async (probe) => {
      const path = await context.sources.findExecutable(probe.binary);
      if (!path) return null;
      const text = await probe.read(context, path);
      const facts = text === null ? null : probe.parse(text);
      if (!facts) context.note(`languages: ${probe.binary} found at ${path} but its version could not be read`);
      return facts ? ([probe.name, facts] as const) : null;
    }),
  );
  return Object.fromEntries(found.filter((entry) => entry !== null));
};

function match(pattern: RegExp, text: string, build: (m: RegExpExecArray) => Record<string, unknown>): Record<string, unknown> | null {
  const m = pattern.exec(text);
  return m ? build(m) : null;
}

/** `gcc -v`: Ohai's `languages.c.gcc` (version, target, configured_with, thread_model). */
export function parseGcc(text: string): Record<string, unknown> | null {
  const version = /^gcc version (\S+)/m.exec(text)?.[1];
  if (!version) return null;
  return {
    gcc: {
      version,
      target: /^Target: (.+)$/m.exec(text)?.[1] ?? null,
      configured_with: /^Configured with: (.+)$/m.exec(text)?.[1] ?? null,
      thread_model: /^Thread model: (.+)$/m.exec(text)?.[1] ?? null,
    },
  };
}

/** A JDK's `release` file: Ohai's `version`, `runtime.build`. */
export function parseJavaRelease(text: string): Record<string, unknown> | null {
  const values = parseKeyValues(text, '=');
  const version = values.get('JAVA_VERSION');
  if (!version) return null;
  return { version, runtime: { build: values.get('JAVA_RUNTIME_VERSION') ?? null }, implementor: values.get('IMPLEMENTOR') ?? null };
}

/** `perl -V:version -V:archname`: `version='5.36.0';` lines. */
export function parsePerl(text: string): Record<string, unknown> | null {
  const version = /^version='([^']+)';/m.exec(text)?.[1];
  return version ? { version, archname: /^archname='([^']+)';/m.exec(text)?.[1] ?? null } : null;
}

/** `python3 -VV`: `Python 3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]` → version, builddate. */
export function parsePython(text: string): Record<string, unknown> | null {
  const m = /^Python (\S+)(?: \([^,]*, ([^)]*)\))?/m.exec(text);
  return m ? { version: m[1], builddate: m[2]?.replace(/\s+/g, ' ') ?? null } : null;
}

/** `ruby --version`: `ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]`. */
export function parseRuby(text: string): Record<string, unknown> | null {
  const m = /^ruby (\d+\.\d+\.\d+)\S* \((\d{4}-\d{2}-\d{2})[^)]*\) \[([^\]]+)\]/m.exec(text);
  return m ? { version: m[1], release_date: m[2], platform: m[3] } : null;
}
