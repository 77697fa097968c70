import { z } from 'zod';

/** The environment did not satisfy an app's configuration schema. Names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses `<PREFIX>_<NAME>` variables against a schema whose keys are the NAMEs. Called once,
 * before Nest starts; nothing else reads process.env. An empty string counts as unset, so
 * `FOO=` in a compose file falls back to the default instead of failing a number parse.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  prefix: string,
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = env[`${prefix}_${name}`];
    input[name] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = `${prefix}_${String(issue.path[0] ?? '')}`;
      const value = input[String(issue.path[0])];
      // Never echo values of variables that may hold credentials.
      const shown = value === undefined ? 'unset' : /TOKEN|PASSWORD|SECRET|KEY|DATABASE_URL/.test(name) ? '(hidden)' : JSON.stringify(value);
      return `${name}=${shown}: ${issue.message}`;
    }),
  );
}

/**
 * loadConfig for a process entry point: on a bad environment, prints what is wrong (one line
 * per variable) and exits with status 78 (EX_CONFIG) before anything starts.
 */
export function loadConfigOrExit<Shape extends z.ZodRawShape>(prefix: string, shape: Shape): z.infer<z.ZodObject<Shape>> {
  return exitOnConfigError(() => loadConfig(prefix, shape));
}

/** Runs an app's own config loader (e.g. with cross-variable rules); a ConfigError prints and exits 78 as loadConfigOrExit does. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message, problems: error.problems })}\n`);
    process.exit(78);
  }
}
