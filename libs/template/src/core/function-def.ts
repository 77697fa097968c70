import type { GoValue } from './go-value';

/**
 * Go parameter types as far as text/template's argument checks see them. `value` is
 * reflect.Value (Go's builtins: the raw value, nil included); `any` is interface{}.
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'uint32' | 'bool' | 'stringSlice' | 'interfaceSlice' | 'map' | ObjectParam;
/** A GoObject of the named Go type (`object:time.Time`); a pointer type (`object:*semver.Version`) accepts nil. */
export type ObjectParam = `object:${string}`;

/** What a function may ask of the running template. */
export interface CallContext {
  /** Runs a named template of the same set with `dot`, as `executeTemplate` does. */
  executeTemplate(name: string, dot: GoValue): string;
  readonly services: FunctionServices;
}

/** What the functions that touch the outside world use; the renderer supplies it. */
export interface FunctionServices {
  env(name: string): string | undefined;
  /** `secret`: the Secret struct, or `null` while it has not been fetched yet. */
  secret(path: string, data: Record<string, string> | undefined): GoValue;
  secrets(path: string): GoValue;
  pkiCert(path: string, data: Record<string, string>): GoValue;
  writeToFile(path: string, content: string, options: { mode: number; append: boolean; newline: boolean; user: string; group: string }): void;
  now(): Date;
  /** net.LookupHost's addresses for `getHostByName`; throws HostLookupPending until the render has resolved the name. */
  lookupHost(name: string): readonly string[];
  /** State that lives for one render (one Execute in Go), such as the `scratch` store. */
  readonly renderState: Map<string, unknown>;
}

export interface FunctionDef {
  params: readonly ParamType[];
  /** Type of the trailing `...` parameter. */
  variadic?: ParamType;
  call(args: GoValue[], context: CallContext): GoValue;
}

export type FunctionMap = Readonly<Record<string, FunctionDef>>;

/**
 * Thrown by lookupHost for a name not resolved yet: the render resolves it (DNS is
 * asynchronous here, synchronous in Go) and runs the same pass again.
 */
export class HostLookupPending extends Error {
  constructor(readonly host: string) {
    super(`host ${host} not resolved yet`);
  }
}

/** A Go function's returned error; the executor reports it as `error calling <name>: ...`. */
export class FunctionError extends Error {}

/** Shorthand for defining a function. */
export function fn(params: readonly ParamType[], call: FunctionDef['call'], variadic?: ParamType): FunctionDef {
  return variadic ? { params, call, variadic } : { params, call };
}
