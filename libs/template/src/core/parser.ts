import { goQuote } from './go-format';
import type { ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Tree } from './ast';
import { unquote, unquoteChar } from './go-unquote';
import { lex, type Item, type ItemType } from './lexer';
import { TemplateError, positionOf } from './template-error';

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Names that may be called; parsing fails on any other, as Go's does. */
  hasFunction: (name: string) => boolean;
}

/** Sentinel nodes the control parser uses; never stored in a tree. */
type Control = { kind: 'end'; pos: number } | { kind: 'else'; pos: number };

/** Parses a template into its trees: the main one under `name`, plus one per define/block. */
export function parseTrees(name: string, source: string, options: ParseOptions): Map<string, Tree> {
  return new Parser(name, source, options).parseAll();
}

class Parser {
  private items: Item[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly trees = new Map<string, Tree>();
  private treeName: string;

  constructor(
    private readonly name: string,
    private readonly source: string,
    private readonly options: ParseOptions,
  ) {
    this.items = lex(source, options.leftDelim, options.rightDelim);
    this.treeName = name;
  }

  private error(message: string, pos?: number): never {
    const item = this.items[Math.max(0, Math.min(this.i - 1, this.items.length - 1))];
    const at = pos ?? item?.pos ?? 0;
    const { line, column } = positionOf(this.source, at);
    throw new TemplateError(this.name, line, column, message, 'parse');
  }

  private next(): Item {
    const item = this.items[this.i++];
    if (!item) return { type: 'eof', pos: this.source.length, val: '', line: 0 };
    if (item.type === 'error') this.error(item.val, item.pos);
    return item;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Item {
    const item = this.next();
    this.backup();
    return item;
  }
  private nextNonSpace(): Item {
    let item: Item;
    do item = this.next();
    while (item.type === 'space');
    return item;
  }
  private peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    return item;
  }
  private expect(type: ItemType, context: string): Item {
    const item = this.nextNonSpace();
    if (item.type !== type) this.unexpected(item, context);
    return item;
  }
  private unexpected(item: Item, context: string): never {
    if (item.type === 'error') this.error(item.val, item.pos);
    return this.error(`unexpected ${describe(item)} in ${context}`, item.pos);
  }

  parseAll(): Map<string, Tree> {
    const root: ListNode = { kind: 'list', nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.error(`unexpected {{${n.kind}}}`, n.pos);
      else root.nodes.push(n);
    }
    this.add({ name: this.name, root });
    return this.trees;
  }

  private add(tree: Tree): void {
    const old = this.trees.get(tree.name);
    if (!old || isEmptyTree(old.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.error(`template: multiple definition of template "${tree.name}"`);
  }

  private parseDefinition(): void {
    const nameItem = this.expectOneOf(['string', 'rawString'], 'define clause');
    const name = this.unquoteItem(nameItem);
    this.expect('rightDelim', 'define clause');
    const savedVars = this.vars;
    const savedName = this.treeName;
    this.vars = ['$'];
    this.treeName = name;
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.error(`unexpected ${end.kind} in define clause`, end.pos);
    this.vars = savedVars;
    this.treeName = savedName;
    this.add({ name, root: list });
  }

  private expectOneOf(types: ItemType[], context: string): Item {
    const item = this.nextNonSpace();
    if (!types.includes(item.type)) this.unexpected(item, context);
    return item;
  }

  private unquoteItem(item: Item): string {
    try {
      return unquote(item.val);
    } catch {
      return this.error('invalid syntax', item.pos); // strconv.Unquote's error, as Go's parser reports it
    }
  }

  private itemList(): [ListNode, Control] {
    const list: ListNode = { kind: 'list', nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n];
      list.nodes.push(n);
    }
    return this.error('unexpected EOF');
  }

  private textOrAction(): Node | Control {
    const item = this.nextNonSpace();
    switch (item.type) {
      case 'text':
        return { kind: 'text', pos: item.pos, text: item.val };
      case 'leftDelim':
        return this.action();
      case 'comment':
        return { kind: 'text', pos: item.pos, text: '' };
      default:
        return this.unexpected(item, 'input');
    }
  }

  private action(): Node | Control {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        if (this.rangeDepth === 0) this.error(`{{${token.type}}} outside {{range}}`, token.pos);
        const close = this.nextNonSpace();
        if (close.type !== 'rightDelim') this.unexpected(close, `{{${token.type}}}`);
        return { kind: token.type, pos: token.pos };
      }
      case 'else': {
        const peek = this.peekNonSpace();
        if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: token.pos };
        this.expect('rightDelim', 'else');
        return { kind: 'else', pos: token.pos };
      }
      case 'end':
        this.expect('rightDelim', 'end');
        return { kind: 'end', pos: token.pos };
      case 'if':
      case 'with':
      case 'range':
        return this.control(token.type, token.pos);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const pos = this.peek().pos;
    return { kind: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private control(context: 'if' | 'with' | 'range', pos: number): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, firstEnd] = this.itemList();
      let next = firstEnd;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.kind === 'else') {
        const peek = this.peek();
        if ((context === 'if' && peek.type === 'if') || (context === 'with' && peek.type === 'with')) {
          const kw = this.next();
          elseList = { kind: 'list', nodes: [this.control(context, kw.pos)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.kind !== 'end') this.error(`expected end; found {{else}}`, next.pos);
        }
      }
      return { kind: context, pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private blockControl(): Node {
    const nameItem = this.expectOneOf(['string', 'rawString'], 'block clause');
    const name = this.unquoteItem(nameItem);
    const pipe = this.pipeline('block clause', 'rightDelim');
    const savedVars = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.error('unexpected else in block clause', end.pos);
    this.vars = savedVars;
    this.add({ name, root: list });
    return { kind: 'template', pos: nameItem.pos, name, pipe }; // Go positions the node at its name
  }

  private templateControl(): Node {
    const nameItem = this.expectOneOf(['string', 'rawString'], 'template clause');
    const name = this.unquoteItem(nameItem);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline('template clause', 'rightDelim');
    }
    return { kind: 'template', pos: nameItem.pos, name, pipe }; // Go positions the node at its name
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: start.pos, isAssign: false, decl: [], cmds: [] };
    // Declarations: $x := / $x = / $i, $v := (range only).
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'declare' || next.type === 'assign') {
        this.nextNonSpace();
        pipe.isAssign = next.type === 'assign';
        pipe.decl.push(v.val);
        if (!pipe.isAssign) this.vars.push(v.val);
        else if (!this.vars.includes(v.val)) this.error(`undefined variable "${v.val}"`, v.pos);
        break decls;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.error('range can only initialize variables');
        }
        this.error(`too many declarations in ${context}`);
      }
      // A variable used as an operand ("$x foo"): let the command parser see it again.
      void tokenAfterVariable;
      this.i = save;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context, token.pos);
        return pipe;
      }
      switch (token.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string, pos: number): void {
    if (pipe.cmds.length === 0) this.error(`missing value for ${context}`, pos);
    pipe.cmds.forEach((c, i) => {
      if (i === 0) return;
      const first = c.args[0]!;
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind)) {
        this.error(`non executable command in pipeline stage ${i + 1}`, first.pos);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      switch (token.type) {
        case 'space':
          continue;
        case 'rightDelim':
        case 'rightParen':
          this.backup();
          break;
        case 'pipe':
          break;
        default:
          this.unexpected(token, 'operand');
      }
      break;
    }
    if (cmd.args.length === 0) this.error('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    // Go positions the chained node at its first trailing field (parse.Tree.operand's newChain).
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.error(`unexpected . after term "${termText(node)}"`, node.pos);
      default:
        return { kind: 'chain', pos, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!this.options.hasFunction(token.val)) this.error(`function "${token.val}" not defined`, token.pos);
        return { kind: 'identifier', pos: token.pos, name: token.val };
      case 'dot':
        return { kind: 'dot', pos: token.pos };
      case 'nil':
        return { kind: 'nil', pos: token.pos };
      case 'variable': {
        if (!this.vars.includes(token.val)) this.error(`undefined variable "${token.val}"`, token.pos);
        return { kind: 'variable', pos: token.pos, ident: [token.val] };
      }
      case 'field':
        return { kind: 'field', pos: token.pos, ident: [token.val.slice(1)] };
      case 'bool':
        return { kind: 'bool', pos: token.pos, value: token.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.number(token);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: token.pos, quoted: token.val, text: this.unquoteItem(token) };
    }
    this.backup();
    return undefined;
  }

  private number(token: Item): NumberNode {
    const node: NumberNode = {
      kind: 'number',
      pos: token.pos,
      text: token.val,
      isInt: false,
      isFloat: false,
      int: 0n,
      float: 0,
      isRune: token.type === 'charConstant',
    };
    if (token.type === 'charConstant') {
      let cp: number;
      try {
        cp = unquoteChar(token.val);
      } catch {
        return this.error(`malformed character constant: ${token.val}`, token.pos);
      }
      return { ...node, isInt: true, isFloat: true, int: BigInt(cp), float: cp };
    }
    const text = token.val;
    if (text.endsWith('i')) this.error(`complex constants are not supported: ${text}`, token.pos);
    const asInt = parseGoInt(text);
    if (asInt !== undefined) {
      if (asInt > 9223372036854775807n || asInt < -9223372036854775808n) {
        if (!/[.eEpP]/.test(text)) this.error(`integer overflow: "${text}"`, token.pos);
      }
      return { ...node, isInt: true, isFloat: true, int: asInt, float: Number(asInt) };
    }
    const f = parseGoFloat(text);
    if (f === undefined) this.error(`illegal number syntax: "${text}"`, token.pos);
    const isInt = Number.isInteger(f) && Math.abs(f) < 9.2e18;
    return { ...node, isFloat: true, float: f, isInt, int: isInt ? BigInt(f) : 0n };
  }
}

function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2]!;
  if (body.includes('_')) {
    // Go allows underscores only between digits (or after a base prefix).
    if (/__|_$/.test(body) || (/^_|^[1-9]?.*\b_/.test(body) && false)) return undefined;
    body = body.replace(/_/g, '');
  }
  let value: bigint;
  if (/^0[oO]/.test(body)) value = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) value = BigInt('0o' + body.slice(1));
  else value = BigInt(body);
  return m[1] === '-' ? -value : value;
}

function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/^[+-]?0[xX]/.test(t)) return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
}

const KEYWORD_ITEMS = new Set(['block', 'break', 'continue', 'dot', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

/** parse.item.String(): keywords as <word>, errors as their text, the rest quoted (at most 10 runes, then ...). */
function describe(item: Item): string {
  if (item.type === 'eof') return 'EOF';
  if (item.type === 'error') return item.val;
  if (KEYWORD_ITEMS.has(item.type)) return `<${item.val}>`;
  const runes = [...item.val];
  return runes.length > 10 ? `${goQuote(runes.slice(0, 10).join(''))}...` : goQuote(item.val);
}

function termText(node: ArgNode): string {
  switch (node.kind) {
    case 'bool':
      return String(node.value);
    case 'string':
      return node.quoted;
    case 'number':
      return node.text;
    case 'nil':
      return 'nil';
    default:
      return '.';
  }
}
