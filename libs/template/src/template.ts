import type { Tree } from './core/ast';
import { Executor } from './core/executor';
import { HostLookupPending, type FunctionMap, type FunctionServices } from './core/function-def';
import { nilSlice, type GoValue } from './core/go-value';
import { parseTrees } from './core/parser';
import { TemplateError } from './core/template-error';
import { consulTemplateFunctions } from './functions/consul-template.function';
import { goBuiltins } from './functions/go-builtins.function';
import { scratchFunctions } from './functions/scratch.function';
import { sprigFunctions } from './functions/sprig.function';
import { SecretCache, lookupHost, requestKey, type SecretRequest } from './secrets/secret-cache';
import type { SecretSource } from './secrets/secret-source';

/** Every function a Vault Agent template may call. */
export const templateFunctions: FunctionMap = { ...goBuiltins, ...consulTemplateFunctions, ...scratchFunctions, ...sprigFunctions };

export interface TemplateOptions {
  /** Shown in errors: `name:line:col: ...`. */
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
  /** Vault Agent's `error_on_missing_key`: a missing map key fails the render instead of `<no value>`. */
  errorOnMissingKey?: boolean;
}

export interface RenderContext {
  /** Where secrets come from; a SecretCache can be passed to keep data between renders. */
  source?: SecretSource;
  cache?: SecretCache;
  /** Environment for `env`/`envOrDefault`; the agent passes its process environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `timestamp`'s clock. */
  now?: () => Date;
  /** `writeToFile`'s side effect; without it the function fails. */
  writeFile?: FunctionServices['writeToFile'];
}

const MAX_PASSES = 32;
const MAX_HOSTS = 64;

/**
 * A parsed template. Parsing happens once, in the constructor (so a template that does not
 * parse fails before any secret is read); render() runs it as many times as needed.
 */
export class Template {
  readonly name: string;
  private readonly trees: ReadonlyMap<string, Tree>;
  private readonly missingKeyError: boolean;

  constructor(
    private readonly source: string,
    options: TemplateOptions = {},
  ) {
    this.name = options.name ?? 'template';
    this.missingKeyError = options.errorOnMissingKey ?? false;
    this.trees = parseTrees(this.name, source, {
      leftDelim: options.leftDelim,
      rightDelim: options.rightDelim,
      hasFunction: (n) => Object.prototype.hasOwnProperty.call(templateFunctions, n),
    });
  }

  /** Renders with data fetched through the context's source (or cache), as Vault Agent would. */
  async render(context: RenderContext = {}): Promise<string> {
    const cache = context.cache ?? (context.source ? new SecretCache(context.source) : undefined);
    const hosts = new Map<string, readonly string[]>(); // without a cache
    let lookups = 0;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const missing = new Map<string, SecretRequest>();
      const result = this.tryRender(context, cache, missing, hosts);
      if (result.pendingHost !== undefined) {
        // Go resolves inside the pass: resolve, then run this same pass again (secrets it asked for wait).
        if (++lookups > MAX_HOSTS) throw new Error(`template ${this.name}: more than ${MAX_HOSTS} host names looked up`);
        if (cache) await cache.fetch(missing.values());
        else hosts.set(result.pendingHost, await lookupHost(result.pendingHost));
        pass--;
        continue;
      }
      // The agent renders before its secrets arrive too, and an error in any pass is fatal.
      if (result.error) throw result.error;
      if (missing.size === 0) return result.output;
      if (!cache) throw new Error(`template ${this.name} reads secrets but the render context has no secret source`);
      await cache.fetch(missing.values());
    }
    throw new Error(`template ${this.name}: secrets still missing after ${MAX_PASSES} passes`);
  }

  /**
   * Renders synchronously from data already in `cache`; the fast path once secrets are
   * known. Returns what is still missing instead of output when the cache lacks data.
   */
  renderCached(context: RenderContext & { cache?: SecretCache }): { output: string; missing: SecretRequest[] } {
    const missing = new Map<string, SecretRequest>();
    const result = this.tryRender(context, context.cache, missing, new Map());
    // A host to resolve is the only thing missing: the caller fetches it and runs the same pass again.
    if (result.pendingHost !== undefined) return { output: '', missing: [...missing.values()] };
    if (result.error) throw result.error;
    return { output: missing.size === 0 ? result.output : '', missing: [...missing.values()] };
  }

  private tryRender(context: RenderContext, cache: SecretCache | undefined, missing: Map<string, SecretRequest>, hosts: ReadonlyMap<string, readonly string[]>): { output: string; error?: unknown; pendingHost?: string } {
    const lookup = (request: SecretRequest): GoValue => {
      const key = requestKey(request);
      const hit = cache?.get(key);
      if (hit !== undefined) return hit;
      missing.set(key, request);
      // What consul-template's functions give before the data arrives: `secret` a nil interface
      // (an invalid value once through the pipeline), `secrets` a nil []string.
      return request.kind === 'list' ? nilSlice('string') : request.kind === 'pki' ? null : undefined;
    };
    const services: FunctionServices = {
      env: (n) => context.env?.[n] ?? undefined,
      secret: (path, data) => lookup(data ? { kind: 'write', path, data } : { kind: 'read', path }),
      secrets: (path) => lookup({ kind: 'list', path }),
      pkiCert: (path, data) => lookup({ kind: 'pki', path, data }),
      writeToFile: (...args) => {
        if (!context.writeFile) throw new Error('writeToFile is not enabled for this render');
        context.writeFile(...args);
      },
      now: context.now ?? (() => new Date()),
      lookupHost: (name) => {
        const cached = cache?.get(requestKey({ kind: 'host', path: name, data: {} }));
        if (Array.isArray(cached)) return cached as string[];
        const addresses = cache ? undefined : hosts.get(name);
        if (!addresses) throw new HostLookupPending(name);
        return addresses;
      },
      renderState: new Map(),
    };
    const executor = new Executor({
      name: this.name,
      source: this.source,
      trees: this.trees,
      funcs: templateFunctions,
      missingKeyError: this.missingKeyError,
      services,
    });
    try {
      return { output: executor.run(this.name, undefined) };
    } catch (error) {
      if (error instanceof HostLookupPending) {
        // The pass stopped at the lookup: only the host is fetched before it runs again.
        missing.clear();
        missing.set(requestKey({ kind: 'host', path: error.host, data: {} }), { kind: 'host', path: error.host, data: {} });
        return { output: '', pendingHost: error.host };
      }
      if (!(error instanceof TemplateError) && missing.size === 0) throw error;
      return { output: '', error };
    }
  }
}

/** Parses a template; throws a TemplateError naming line and column when it does not parse. */
export function parseTemplate(source: string, options: TemplateOptions = {}): Template {
  return new Template(source, options);
}
