import { hostSources, type FactSources } from './fact-sources';
import { BUILT_IN_SECTIONS, FACT_FAMILIES, OHAI_COVERED } from './fact-families';
import { readOhaiInput } from './ohai-input';
import { runPlugins } from './plugins';

/** A VM's facts: one object per section (`platform`, `network`, a plugin's name...). */
export type Facts = Record<string, Record<string, unknown>>;

/** What to collect from. */
export interface CollectOptions {
  sources?: FactSources;
  /** Directory of plugin executables; absent: no plugins. */
  pluginsDir?: string;
  pluginTimeoutMs?: number;
  /** A saved `ohai` JSON whose extra attributes are merged as `ohai_<name>` sections. */
  ohaiInput?: string;
  /** Collector version written in the `collector` section. */
  version?: string;
}

/**
 * Collects every family in parallel. A family that fails or is unreadable is left out with a
 * note; notes and refused plugins go into the `collector` section, so the VM's owner sees them.
 */
export async function collectFacts(options: CollectOptions = {}): Promise<Facts> {
  const sources = options.sources ?? hostSources();
  const notes: string[] = [];
  const context = { sources, note: (text: string) => notes.push(text), version: options.version };
  const results = await Promise.all(
    FACT_FAMILIES.map(async (family) => {
      try {
        return [family.section, await family.collect(context)] as const;
      } catch (error) {
        notes.push(`${family.section}: ${error instanceof Error ? error.message : String(error)}`);
        return [family.section, null] as const;
      }
    }),
  );
  const facts: Facts = {};
  for (const [section, value] of results) if (value) facts[section] = value;
  const plugins = options.pluginsDir ? await runPlugins({ directory: options.pluginsDir, timeoutMs: options.pluginTimeoutMs, reserved: BUILT_IN_SECTIONS }) : { sections: {}, failures: [] };
  const ohai = options.ohaiInput ? await readOhaiInput(options.ohaiInput, OHAI_COVERED) : { sections: {}, notes: [] };
  for (const [name, section] of Object.entries(ohai.sections)) if (!facts[name]) facts[name] = section;
  Object.assign(facts, plugins.sections);
  facts['collector'] = {
    version: options.version ?? '0',
    notes: [...notes, ...ohai.notes].sort(),
    plugin_failures: plugins.failures,
  };
  return facts;
}
