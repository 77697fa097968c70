import type { ArgNode, ChainNode, CommandNode, FieldNode, ListNode, Node, NumberNode, PipeNode, RangeNode, Tree, VariableNode } from './ast';
import { FunctionError, HostLookupPending, type CallContext, type FunctionDef, type FunctionMap, type FunctionServices, type ParamType } from './function-def';
import { formatV, goQuote } from './go-format';
import { GoChan, GoInt64, GoNilPointer, GoObject, GoStruct, GoUint, JsonNumber, intValue, goTypeName, hasKey, isMap, isTrue, sliceElem, mapElem, mapKey, sortedKeys, type GoValue } from './go-value';
import { TemplateError, goPositionOf } from './template-error';

/** Absent final pipeline value (Go's missingVal). */
const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

const BREAK = 1;
const CONTINUE = 2;
const MAX_DEPTH = 100000;

export interface ExecOptions {
  name: string;
  source: string;
  trees: ReadonlyMap<string, Tree>;
  funcs: FunctionMap;
  missingKeyError: boolean;
  services: FunctionServices;
}

class ExecError extends Error {}

/**
 * Runs parsed trees with Go's text/template semantics (exec.go): the variable stack,
 * missingkey handling, nil-interface digging after each pipeline stage, argument type
 * checks, short-circuit and/or, break/continue and template calls.
 */
export class Executor implements CallContext {
  private vars: { name: string; value: GoValue }[] = [];
  private out = '';
  private pos = 0;
  private depth = 0;
  private treeName: string;

  constructor(private readonly o: ExecOptions) {
    this.treeName = o.name;
  }

  get services(): FunctionServices {
    return this.o.services;
  }

  run(name: string, dot: GoValue): string {
    const tree = this.o.trees.get(name);
    if (!tree) throw this.fail(`no such template "${name}"`);
    this.vars = [{ name: '$', value: dot }];
    this.out = '';
    this.walk(dot, tree.root);
    return this.out;
  }

  executeTemplate(name: string, dot: GoValue): string {
    // Template.ExecuteTemplate on consul-template's template, which is named "".
    if (!this.o.trees.has(name)) throw new FunctionError(`template: no template ${goQuote(name)} associated with template ""`);
    const sub = new Executor(this.o);
    sub.depth = this.depth + 1;
    return sub.run(name, dot);
  }

  private fail(message: string, cause?: unknown): TemplateError {
    const { line, column } = goPositionOf(this.o.source, this.pos);
    return new TemplateError(this.o.name, line, column, `executing "${this.treeName}": ${message}`, 'execute', cause === undefined ? undefined : { cause });
  }

  private walk(dot: GoValue, list: ListNode): number {
    for (const node of list.nodes) {
      const signal = this.walkNode(dot, node);
      if (signal) return signal;
    }
    return 0;
  }

  private walkNode(dot: GoValue, node: Node): number {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return 0;
      case 'action': {
        // Variables declared here live until the end of the enclosing block, as in Go.
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(val);
        return 0;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const val = this.evalPipeline(dot, node.pipe);
        let signal = 0;
        if (isTrue(val)) signal = node.kind === 'with' ? this.walkWithDot(val, false, node.list) : this.walk(dot, node.list);
        else if (node.elseList) signal = this.walk(dot, node.elseList);
        this.vars.length = mark;
        return signal;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template': {
        this.pos = node.pos;
        const tree = this.o.trees.get(node.name);
        if (!tree) throw this.fail(`template "${node.name}" not defined`);
        const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
        if (this.depth >= MAX_DEPTH) throw this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
        const saved = this.vars;
        const savedName = this.treeName;
        this.vars = [{ name: '$', value: newDot }];
        this.treeName = node.name;
        this.depth++;
        this.walkWithDot(newDot, false, tree.root);
        this.depth--;
        this.vars = saved;
        this.treeName = savedName;
        return 0;
      }
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
    }
  }

  /** Whether dot is an interface value (a range element), which Go names in field errors. */
  private dotIface = false;

  private walkWithDot(dot: GoValue, iface: boolean, list: ListNode): number {
    const saved = this.dotIface;
    this.dotIface = iface;
    try {
      return this.walk(dot, list);
    } finally {
      this.dotIface = saved;
    }
  }

  private walkRange(dot: GoValue, r: RangeNode): number {
    this.pos = r.pos;
    const outer = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.vars.length;
    const iterate = (index: GoValue, elem: GoValue): number => {
      const decl = r.pipe.decl;
      if (decl.length > 0) {
        if (r.pipe.isAssign) {
          this.setVar(decl[0]!, decl.length > 1 ? index : elem);
          if (decl.length > 1) this.setVar(decl[1]!, elem);
        } else {
          this.vars[this.vars.length - 1]!.value = elem;
          if (decl.length > 1) this.vars[this.vars.length - 2]!.value = index;
        }
      }
      const signal = this.walkWithDot(elem, elemIface, r.list);
      this.vars.length = mark;
      return signal;
    };
    let ran = false;
    const v = val === null ? undefined : val;
    // Elements of []interface {} and map[string]interface {} are interface values (field errors name that type).
    const elemIface = (Array.isArray(v) && sliceElem(v) === 'interface') || (v !== undefined && isMap(v) && mapElem(v) !== 'string');
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        ran = true;
        if (iterate(BigInt(i), v[i] ?? null) === BREAK) break;
      }
    } else if (v instanceof GoChan) {
      const received = v.drain();
      for (let i = 0; i < received.length; i++) {
        ran = true;
        if (iterate(BigInt(i), received[i] ?? null) === BREAK) break;
      }
    } else if (intValue(v ?? null) !== undefined) {
      const n = intValue(v ?? null)!;
      if (r.pipe.decl.length > 1) throw this.fail(`can't use ${n} to iterate over more than one variable`);
      for (let i = 0n; i < n; i++) {
        ran = true;
        if (iterate(v instanceof GoInt64 ? new GoInt64(i) : i, v instanceof GoInt64 ? new GoInt64(i) : i) === BREAK) break;
      }
    } else if (v !== undefined && isMap(v)) {
      for (const key of sortedKeys(v)) {
        ran = true;
        if (iterate(mapKey(v, key), v[key] ?? null) === BREAK) break;
      }
    } else if (v !== undefined) {
      throw this.fail(`range can't iterate over ${formatV(v)}`);
    }
    let signal = 0;
    if (!ran && r.elseList) signal = this.walk(dot, r.elseList);
    this.vars.length = outer;
    return signal;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    throw this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw this.fail(`undefined variable: ${name}`);
  }

  private printValue(v: GoValue): void {
    if (v === undefined || v === null) {
      this.out += '<no value>';
      return;
    }
    if (typeof v === 'string') this.out += v;
    // printableValue dereferences a pointer before fmt sees it: a *Secret prints as {...}.
    else if (v instanceof GoStruct && v.pointer) this.out += formatV(new GoStruct(v.typeName, v.fields, false));
    else this.out += formatV(v);
  }

  evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.pos = pipe.pos;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface becomes an invalid value, as Go digs one level into interface{}.
      if (value === null) value = undefined;
    }
    const result = value === MISSING ? undefined : value;
    if (pipe.decl.length === 0) return result;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.name, first.pos, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.pos = first.pos;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        throw this.fail('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) throw this.fail(`can't give argument to non-function ${describeNode(args[0]!)}`);
  }

  private idealConstant(n: NumberNode): GoValue {
    this.pos = n.pos;
    const hexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.isRune && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) {
      if (n.int > 9223372036854775807n || n.int < -9223372036854775808n) throw this.fail(`${n.text} overflows int`);
      return n.int;
    }
    return undefined;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: readonly ArgNode[], final: Final): GoValue {
    this.pos = field.pos;
    return this.evalFieldChain(dot, dot, field.ident, args, final, field.pos, this.dotIface);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: readonly ArgNode[], final: Final): GoValue {
    this.pos = chain.pos;
    if (chain.node.kind === 'nil') throw this.fail('indirection through explicit nil');
    let pipe = this.evalArg(dot, undefined, chain.node);
    // evalPipeline unwraps a nil interface into an invalid value, so (secret "x").Data of a
    // not-yet-fetched secret is no value rather than a nil-pointer error.
    if (pipe === null && chain.node.kind === 'pipe') pipe = undefined;
    return this.evalFieldChain(dot, pipe, chain.field, args, final, chain.pos);
  }

  private evalVariableNode(dot: GoValue, variable: VariableNode, args: readonly ArgNode[], final: Final): GoValue {
    this.pos = variable.pos;
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable.ident.slice(1), args, final, variable.pos);
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, ident: readonly string[], args: readonly ArgNode[], final: Final, nodePos: number, startIface = false): GoValue {
    const n = ident.length;
    // A value taken out of a map[string]interface {} keeps that static type inside the chain.
    let viaInterface = startIface;
    for (let i = 0; i < n - 1; i++) {
      const fromInterfaceMap = isMap(receiver) && mapElem(receiver) === 'interface';
      receiver = this.evalField(dot, ident[i]!, [], MISSING, receiver, viaInterface, nodePos);
      viaInterface = fromInterfaceMap;
    }
    return this.evalField(dot, ident[n - 1]!, args, final, receiver, viaInterface, nodePos);
  }

  private evalField(dot: GoValue, name: string, args: readonly ArgNode[], final: Final, receiver: GoValue, viaInterface: boolean, nodePos: number): GoValue {
    if (receiver instanceof GoObject) {
      const method = receiver.methods[name];
      if (method) {
        this.pos = nodePos; // a method call is positioned at its chain node, as Go's evalCall does
        return this.evalCall(dot, method, name, nodePos, args.length > 0 ? args : [{ kind: 'nil', pos: nodePos }], final);
      }
      throw this.fail(`can't evaluate field ${name} in type ${receiver.typeName}`);
    }
    if (receiver === undefined) {
      if (this.o.missingKeyError) throw this.fail(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) throw this.fail(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      if (receiver.fields.has(name)) {
        if (hasArgs) throw this.fail(`${name} has arguments but cannot be invoked as function`);
        return receiver.fields.get(name) as GoValue;
      }
    } else if (receiver instanceof GoNilPointer) {
      if (receiver.fieldNames.includes(name)) throw this.fail(`nil pointer evaluating ${receiver.typeName}.${name}`);
      throw this.fail(`can't evaluate field ${name} in type ${receiver.typeName}`);
    } else if (isMap(receiver)) {
      if (hasArgs) throw this.fail(`${name} is not a method but has arguments`);
      if (hasKey(receiver, name)) {
        const v = receiver[name];
        return v === undefined ? null : v;
      }
      if (this.o.missingKeyError) throw this.fail(`map has no entry for key "${name}"`);
      // consul-template runs with missingkey=zero: the element type's zero value (a nil interface).
      return mapElem(receiver) === 'string' ? '' : null;
    }
    throw this.fail(`can't evaluate field ${name} in type ${viaInterface ? 'interface {}' : goTypeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, name: string, pos: number, args: readonly ArgNode[], final: Final): GoValue {
    this.pos = pos;
    const def = this.o.funcs[name];
    if (!def) throw this.fail(`"${name}" is not a defined function`);
    return this.evalCall(dot, def, name, pos, args, final);
  }

  private evalCall(dot: GoValue, def: FunctionDef, name: string, pos: number, argNodes: readonly ArgNode[], final: Final): GoValue {
    const args = argNodes.slice(1);
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (def.variadic) {
      numFixed = def.params.length;
      if (numIn < numFixed) throw this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== def.params.length) {
      throw this.fail(`wrong number of args for ${name}: want ${def.params.length} got ${numIn}`);
    }
    if (name === 'and' || name === 'or') {
      let v: GoValue = undefined;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, def.params[i]!, args[i]!));
    if (def.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, def.variadic, args[i]!));
    if (final !== MISSING) {
      const t = def.variadic && numIn - 1 >= numFixed ? def.variadic : def.params[numIn - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return def.call(argv, this);
    } catch (err) {
      if (err instanceof TemplateError || err instanceof HostLookupPending) throw err;
      this.pos = pos;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof FunctionError || err instanceof ExecError || err instanceof Error) throw this.fail(`error calling ${name}: ${message}`, err);
      throw err;
    }
  }

  private validateType(value: GoValue, type: ParamType | undefined): GoValue {
    if (value === undefined) {
      if (canBeNil(type)) return type === 'value' ? undefined : null;
      throw this.fail(`invalid value; expected ${goParamName(type)}`);
    }
    switch (type) {
      case undefined:
      case 'value':
      case 'any':
        return value;
      case 'string':
        if (typeof value === 'string') return value;
        break;
      case 'int':
        if (typeof value === 'bigint') return value;
        break;
      case 'bool':
        if (typeof value === 'boolean') return value;
        break;
      case 'stringSlice':
        if (Array.isArray(value) && sliceElem(value) === 'string') return value;
        break;
      case 'interfaceSlice':
        if (Array.isArray(value) && sliceElem(value) === 'interface') return value;
        break;
      case 'map':
        if (isMap(value) && mapElem(value) === 'interface') return value;
        break;
      default:
        if ((value instanceof GoObject || value instanceof GoStruct) && goTypeName(value) === type.slice('object:'.length)) return value;
        if (value === null && canBeNil(type)) return value;
        break;
    }
    throw this.fail(`wrong type for value; expected ${goParamName(type)}; got ${value === null ? 'interface {}' : goTypeName(value)}`);
  }

  private evalArg(dot: GoValue, type: ParamType | undefined, n: ArgNode): GoValue {
    this.pos = n.pos;
    switch (n.kind) {
      case 'dot':
        return this.validateType(dot, type);
      case 'nil':
        if (canBeNil(type)) return type === 'value' ? undefined : null;
        throw this.fail(`cannot assign nil to ${goParamName(type)}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), type);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), type);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), type);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n.name, n.pos, [n], MISSING), type);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), type);
    }
    switch (type) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        throw this.fail(`expected bool; found ${describeNode(n)}`);
      case 'int':
        if (n.kind === 'number' && n.isInt) return n.int;
        throw this.fail(`expected integer; found ${describeNode(n)}`);
      case 'uint32':
        // reflect's SetUint keeps the low 32 bits, as Go's evalUnsignedInteger does for a uint32.
        if (n.kind === 'number' && n.isInt && n.int >= 0n) return BigInt.asUintN(32, n.int);
        throw this.fail(`expected unsigned integer; found ${describeNode(n)}`);
      case 'string':
        if (n.kind === 'string') return n.text;
        throw this.fail(`expected string; found ${describeNode(n)}`);
      case undefined:
      case 'any':
      case 'value':
        switch (n.kind) {
          case 'bool':
            return n.value;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
        }
    }
    throw this.fail(`can't handle ${describeNode(n)} for arg of type ${goParamName(type)}`);
  }
}

/** Go's canBeNil for a parameter type: interfaces, slices, maps and pointers. */
function canBeNil(type: ParamType | undefined): boolean {
  return type === undefined || type === 'value' || type === 'any' || type === 'stringSlice' || type === 'interfaceSlice' || type === 'map' || (type.startsWith('object:*') as boolean);
}

function goParamName(type: ParamType | undefined): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'uint32':
      return 'uint32';
    case 'bool':
      return 'bool';
    case 'stringSlice':
      return '[]string';
    case 'interfaceSlice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'value':
      return 'reflect.Value';
    case 'any':
    case undefined:
      return 'interface {}';
    default:
      return type.slice('object:'.length);
  }
}

function describeNode(n: ArgNode): string {
  switch (n.kind) {
    case 'field':
      return '.' + n.ident.join('.');
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'identifier':
      return n.name;
    case 'chain':
      return `(${describeNode(n.node)}).${n.field.join('.')}`;
    case 'pipe':
      return '(pipeline)';
  }
}

export { GoUint, JsonNumber };
