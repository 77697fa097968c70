import { goBytes } from './go-value';

/**
 * The error detection of gopkg.in/yaml.v2 v2.4.0 (the agent's parseYAML), ported from its
 * libyaml translation: reader (readerc.go), scanner (scannerc.go) and parser (parserc.go)
 * as far as the first document's end, which is all yaml.v2's Unmarshal reads. Values are
 * not built here (yaml-decode.ts does that once this finds nothing): only tokens, their
 * marks and the checks that fail, so the error text and its line are yaml.v2's.
 */
export function checkYamlV2(text: string): string {
  const p = new Parser(new Scanner(text));
  const end = p.firstDocument();
  // The text yaml.v2 read: up to the first document's end (a leading BOM is not counted in marks).
  const chars = Array.from(text);
  return chars.slice(0, end + (chars[0] === '\ufeff' ? 1 : 0)).join('');
}

interface Mark {
  index: number;
  line: number;
  column: number;
}

type TokenType =
  | 'STREAM_START'
  | 'STREAM_END'
  | 'VERSION_DIRECTIVE'
  | 'TAG_DIRECTIVE'
  | 'DOCUMENT_START'
  | 'DOCUMENT_END'
  | 'BLOCK_SEQUENCE_START'
  | 'BLOCK_MAPPING_START'
  | 'BLOCK_END'
  | 'FLOW_SEQUENCE_START'
  | 'FLOW_SEQUENCE_END'
  | 'FLOW_MAPPING_START'
  | 'FLOW_MAPPING_END'
  | 'BLOCK_ENTRY'
  | 'FLOW_ENTRY'
  | 'KEY'
  | 'VALUE'
  | 'ALIAS'
  | 'ANCHOR'
  | 'TAG'
  | 'SCALAR';

interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** Anchor or alias name, tag handle, %TAG handle. */
  value?: string;
  suffix?: string;
  prefix?: string;
  major?: number;
  minor?: number;
  plain?: boolean;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

/** yaml.v2's failure: `yaml: line N: problem` (parser.fail in decode.go). */
class YamlV2Error extends Error {}

function fail(kind: 'reader' | 'scanner' | 'parser', problem: string, problemMark: Mark | undefined, contextMark: Mark | undefined): never {
  let line = 0;
  if (problemMark && problemMark.line !== 0) {
    // Scanner errors are reported one line later than the (0-based) mark: yaml.v2's own rule.
    line = problemMark.line + (kind === 'scanner' ? 1 : 0);
  } else if (contextMark && contextMark.line !== 0) {
    line = contextMark.line;
  }
  throw new YamlV2Error(`yaml: ${line !== 0 ? `line ${line}: ` : ''}${problem}`);
}

const READ_CHUNK = 512;
const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

/** The input as code points, with the reader's errors (bad UTF-8, control characters) where the reader meets them. */
class Reader {
  readonly chars: number[] = [];
  /** Characters readable before the reader fails (all of them when it does not). */
  limit = Infinity;
  problem = '';

  constructor(text: string) {
    let bytes = goBytes(text);
    if (bytes.length === 0) bytes = Buffer.from('\n');
    let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let decodedBeforeChunk = 0;
    let chunkEnd = READ_CHUNK;
    while (i < bytes.length) {
      // The reader decodes whole 512-byte reads: an error anywhere in one is met when the scanner first needs it.
      while (i >= chunkEnd) {
        chunkEnd += READ_CHUNK;
        decodedBeforeChunk = this.chars.length;
      }
      const octet = bytes[i]!;
      const width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
      const problem = this.decodeProblem(bytes, i, width);
      if (problem) {
        this.problem = problem;
        this.limit = decodedBeforeChunk;
        return;
      }
      let value = width === 1 ? octet : octet & (width === 2 ? 0x1f : width === 3 ? 0x0f : 0x07);
      for (let k = 1; k < width; k++) value = (value << 6) | (bytes[i + k]! & 0x3f);
      if (!(value === 0x09 || value === 0x0a || value === 0x0d || (value >= 0x20 && value <= 0x7e) || value === 0x85 || (value >= 0xa0 && value <= 0xd7ff) || (value >= 0xe000 && value <= 0xfffd) || (value >= 0x10000 && value <= 0x10ffff))) {
        this.problem = 'control characters are not allowed';
        this.limit = decodedBeforeChunk;
        return;
      }
      this.chars.push(value);
      i += width;
    }
  }

  private decodeProblem(bytes: Buffer, i: number, width: number): string | undefined {
    if (width === 0) return 'invalid leading UTF-8 octet';
    if (i + width > bytes.length) return 'incomplete UTF-8 octet sequence';
    for (let k = 1; k < width; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 'invalid trailing UTF-8 octet';
    const octet = bytes[i]!;
    let value = width === 1 ? octet : octet & (width === 2 ? 0x1f : width === 3 ? 0x0f : 0x07);
    for (let k = 1; k < width; k++) value = (value << 6) | (bytes[i + k]! & 0x3f);
    if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) return 'invalid length of a UTF-8 sequence';
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return 'invalid Unicode character';
    return undefined;
  }
}

const c = (s: string): number => s.charCodeAt(0);
const isBreakCp = (ch: number): boolean => ch === 0x0d || ch === 0x0a || ch === 0x85 || ch === 0x2028 || ch === 0x2029;
const isBlankCp = (ch: number): boolean => ch === 0x20 || ch === 0x09;
const isAlphaCp = (ch: number): boolean => (ch >= 0x30 && ch <= 0x39) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a) || ch === 0x5f || ch === 0x2d;
const isDigitCp = (ch: number): boolean => ch >= 0x30 && ch <= 0x39;
const isHexCp = (ch: number): boolean => isDigitCp(ch) || (ch >= 0x41 && ch <= 0x46) || (ch >= 0x61 && ch <= 0x66);
const URI_CHARS = new Set([...";/?:@&=+$,.!~*'()[]%"].map(c));

class Scanner {
  private readonly reader: Reader;
  private pos = 0;
  mark: Mark = { index: 0, line: 0, column: 0 };
  private readonly tokens: Token[] = [];
  private head = 0;
  tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();
  private flowLevel = 0;

  constructor(text: string) {
    this.reader = new Reader(text);
  }

  /** The character `k` ahead (0 at the end, as libyaml's buffer), failing where the reader failed. */
  private at(k = 0): number {
    const i = this.pos + k;
    if (i >= this.reader.limit) fail('reader', this.reader.problem, undefined, undefined);
    return this.reader.chars[i] ?? 0;
  }
  private is(ch: string, k = 0): boolean {
    return this.at(k) === c(ch);
  }
  private isZ(k = 0): boolean {
    return this.at(k) === 0;
  }
  private isBreak(k = 0): boolean {
    return isBreakCp(this.at(k));
  }
  private isBlank(k = 0): boolean {
    return isBlankCp(this.at(k));
  }
  private isBreakZ(k = 0): boolean {
    return this.isBreak(k) || this.isZ(k);
  }
  private isBlankZ(k = 0): boolean {
    return this.isBlank(k) || this.isBreakZ(k);
  }
  private copyMark(): Mark {
    return { ...this.mark };
  }
  private skip(): void {
    this.mark.index++;
    this.mark.column++;
    this.pos++;
  }
  private skipLine(): void {
    if (this.is('\r') && this.is('\n', 1)) {
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
      this.pos += 2;
    } else if (this.isBreak()) {
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      this.pos++;
    }
  }
  /** read_line: a break is consumed as one (CRLF moves the index by two). */
  private readLine(): void {
    if (this.is('\r') && this.is('\n', 1)) {
      this.pos += 2;
      this.mark.index++;
    } else if (this.isBreak()) this.pos++;
    else return;
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
  }

  /** yaml_parser_set_scanner_error; the context text is kept for reading against scannerc.go (yaml.v2 never prints it). */
  private scannerError(_context: string, contextMark: Mark, problem: string): never {
    fail('scanner', problem, this.mark, contextMark);
  }

  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head]!;
  }

  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head]!.type === 'STREAM_END';
    this.head++;
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        const idx = this.simpleKeysByToken.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private insertToken(pos: number, token: Token): void {
    // pos is relative to the queue head; -1 appends.
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + pos, 0, token);
  }

  private fetchNextToken(): void {
    this.at();
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.copyMark() });
      this.simpleKeyAllowed = true;
      this.streamStartProduced = true;
      this.insertToken(-1, { type: 'STREAM_START', start: this.copyMark(), end: this.copyMark() });
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.mark.column);
    const ch = this.at();
    if (ch === 0) return this.fetchStreamEnd();
    if (this.mark.column === 0 && ch === c('%')) return this.fetchDirective();
    if (this.mark.column === 0 && ch === c('-') && this.is('-', 1) && this.is('-', 2) && this.isBlankZ(3)) return this.fetchDocumentIndicator('DOCUMENT_START');
    if (this.mark.column === 0 && ch === c('.') && this.is('.', 1) && this.is('.', 2) && this.isBlankZ(3)) return this.fetchDocumentIndicator('DOCUMENT_END');
    if (ch === c('[')) return this.fetchFlowCollectionStart('FLOW_SEQUENCE_START');
    if (ch === c('{')) return this.fetchFlowCollectionStart('FLOW_MAPPING_START');
    if (ch === c(']')) return this.fetchFlowCollectionEnd('FLOW_SEQUENCE_END');
    if (ch === c('}')) return this.fetchFlowCollectionEnd('FLOW_MAPPING_END');
    if (ch === c(',')) return this.fetchFlowEntry();
    if (ch === c('-') && this.isBlankZ(1)) return this.fetchBlockEntry();
    if (ch === c('?') && (this.flowLevel > 0 || this.isBlankZ(1))) return this.fetchKey();
    if (ch === c(':') && (this.flowLevel > 0 || this.isBlankZ(1))) return this.fetchValue();
    if (ch === c('*')) return this.fetchKeyable(() => this.scanAnchor('ALIAS'));
    if (ch === c('&')) return this.fetchKeyable(() => this.scanAnchor('ANCHOR'));
    if (ch === c('!')) return this.fetchKeyable(() => this.scanTag());
    if ((ch === c('|') || ch === c('>')) && this.flowLevel === 0) return this.fetchBlockScalar();
    if (ch === c("'")) return this.fetchKeyable(() => this.scanFlowScalar(true));
    if (ch === c('"')) return this.fetchKeyable(() => this.scanFlowScalar(false));
    if (!(this.isBlankZ() || [...'-?:,[]{}#&*!|>\'"%@`'].some((x) => ch === c(x))) || (ch === c('-') && !this.isBlank(1)) || (this.flowLevel === 0 && (ch === c('?') || ch === c(':')) && !this.isBlankZ(1))) {
      return this.fetchKeyable(() => this.scanPlainScalar());
    }
    this.scannerError('while scanning for the next token', this.copyMark(), 'found character that cannot start any token');
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: this.copyMark() };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = key;
      this.simpleKeysByToken.set(key.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: this.copyMark() });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) this.scannerError('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      this.simpleKeysByToken.delete(this.simpleKeys[this.simpleKeys.length - 1]!.tokenNumber);
      this.simpleKeys.pop();
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) this.scannerError('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, { type, start: mark, end: mark });
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, { type: 'BLOCK_END', start: this.copyMark(), end: this.copyMark() });
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamEnd(): void {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, { type: 'STREAM_END', start: this.copyMark(), end: this.copyMark() });
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.copyMark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, { type, start, end: this.copyMark() });
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.simpleToken(type);
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.simpleToken(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.simpleToken('FLOW_ENTRY');
  }

  private simpleToken(type: TokenType): void {
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.copyMark() });
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError('', this.copyMark(), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_SEQUENCE_START', this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.simpleToken('BLOCK_ENTRY');
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError('', this.copyMark(), 'mapping keys are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.simpleToken('KEY');
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, { type: 'KEY', start: key.mark, end: key.mark });
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK_MAPPING_START', key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.scannerError('', this.copyMark(), 'mapping values are not allowed in this context');
        this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.copyMark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.simpleToken('VALUE');
  }

  /** A token that may start a simple key (anchor, alias, tag, quoted or plain scalar). */
  private fetchKeyable(scan: () => Token): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scan());
  }

  private fetchBlockScalar(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar());
  }

  private scanToNextToken(): void {
    for (;;) {
      if (this.mark.column === 0 && this.at() === 0xfeff) this.skip();
      while (this.is(' ') || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.is('\t'))) this.skip();
      if (this.is('#')) while (!this.isBreakZ()) this.skip();
      if (!this.isBreak()) break;
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  /** Skips blanks, a comment and a line break after a directive or a block scalar header. */
  private endOfLine(context: string, start: Mark): void {
    while (this.isBlank()) this.skip();
    if (this.is('#')) while (!this.isBreakZ()) this.skip();
    if (!this.isBreakZ()) this.scannerError(context, start, 'did not find expected comment or line break');
    if (this.isBreak()) this.skipLine();
  }

  /** The indicator at `start` is skipped, then the run of ASCII letters, digits, `_` and `-` after it. */
  private indicatorAndName(): { start: Mark; name: string } {
    const start = this.copyMark();
    this.skip();
    let name = '';
    while (isAlphaCp(this.at())) {
      name += String.fromCodePoint(this.at());
      this.skip();
    }
    return { start, name };
  }

  private scanDirective(): Token {
    const { start, name } = this.indicatorAndName();
    if (name === '') this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!this.isBlankZ()) this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      while (this.isBlank()) this.skip();
      const major = this.scanVersionNumber(start);
      if (!this.is('.')) this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(start);
      token = { type: 'VERSION_DIRECTIVE', start, end: this.copyMark(), major, minor };
    } else if (name === 'TAG') {
      while (this.isBlank()) this.skip();
      const handle = this.scanTagHandle(true, start);
      if (!this.isBlank()) this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
      while (this.isBlank()) this.skip();
      const prefix = this.scanTagUri(true, '', start);
      if (!this.isBlankZ()) this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
      token = { type: 'TAG_DIRECTIVE', start, end: this.copyMark(), value: handle, prefix };
    } else {
      this.scannerError('while scanning a directive', start, 'found unknown directive name');
    }
    this.endOfLine('while scanning a directive', start);
    return token;
  }

  private scanVersionNumber(start: Mark): number {
    let value = 0;
    let length = 0;
    while (isDigitCp(this.at())) {
      if (++length > 2) this.scannerError('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.at() - 0x30);
      this.skip();
    }
    if (length === 0) this.scannerError('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: TokenType): Token {
    const { start, name } = this.indicatorAndName();
    const end = this.copyMark();
    if (name === '' || !(this.isBlankZ() || [...'?:,]}%@`'].some((x) => this.is(x)))) {
      this.scannerError(type === 'ANCHOR' ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character');
    }
    return { type, start, end, value: name };
  }

  private scanTag(): Token {
    const start = this.copyMark();
    let handle: string;
    let suffix: string;
    if (this.is('<', 1)) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (!this.is('>')) this.scannerError('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.startsWith('!') && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    if (!this.isBlankZ()) this.scannerError('while scanning a tag', start, 'did not find expected whitespace or line break');
    return { type: 'TAG', start, end: this.copyMark(), value: handle, suffix };
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    if (!this.is('!')) this.scannerError(context, start, "did not find expected '!'");
    let s = '!';
    this.skip();
    while (isAlphaCp(this.at())) {
      s += String.fromCodePoint(this.at());
      this.skip();
    }
    if (this.is('!')) {
      s += '!';
      this.skip();
    } else if (directive && s !== '!') {
      this.scannerError(context, start, "did not find expected '!'");
    }
    return s;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    while (isAlphaCp(this.at()) || URI_CHARS.has(this.at())) {
      if (this.is('%')) s += this.scanUriEscapes(context, start);
      else {
        s += String.fromCodePoint(this.at());
        this.skip();
      }
      hasTag = true;
    }
    if (!hasTag) this.scannerError(context, start, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(context: string, start: Mark): string {
    const octets: number[] = [];
    let w = 1024;
    while (w > 0) {
      if (!(this.is('%') && isHexCp(this.at(1)) && isHexCp(this.at(2)))) this.scannerError(context, start, 'did not find URI escaped octet');
      const octet = parseInt(String.fromCodePoint(this.at(1), this.at(2)), 16);
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) this.scannerError(context, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) this.scannerError(context, start, 'found an incorrect trailing UTF-8 octet');
      octets.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return Buffer.from(octets).toString('latin1');
  }

  /** A literal or folded scalar: only its extent and errors (the value is yaml-decode.ts's). */
  private scanBlockScalar(): Token {
    const start = this.copyMark();
    this.skip();
    let increment = 0;
    const indicator = (): void => {
      if (this.at() === c('0')) this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = this.at() - 0x30;
      this.skip();
    };
    if (this.is('+') || this.is('-')) {
      this.skip();
      if (isDigitCp(this.at())) indicator();
    } else if (isDigitCp(this.at())) {
      indicator();
      if (this.is('+') || this.is('-')) this.skip();
    }
    this.endOfLine('while scanning a block scalar', start);
    let end = this.copyMark();
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    const breaks = (): void => {
      end = this.copyMark();
      let maxIndent = 0;
      for (;;) {
        while ((indent === 0 || this.mark.column < indent) && this.is(' ')) this.skip();
        if (this.mark.column > maxIndent) maxIndent = this.mark.column;
        if ((indent === 0 || this.mark.column < indent) && this.is('\t')) this.scannerError('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
        if (!this.isBreak()) break;
        this.readLine();
        end = this.copyMark();
      }
      if (indent === 0) indent = Math.max(maxIndent, this.indent + 1, 1);
    };
    breaks();
    while (this.mark.column === indent && !this.isZ()) {
      while (!this.isBreakZ()) this.skip();
      this.readLine();
      breaks();
    }
    return { type: 'SCALAR', start, end };
  }

  private isDocumentIndicator(): boolean {
    return this.mark.column === 0 && ((this.is('-') && this.is('-', 1) && this.is('-', 2)) || (this.is('.') && this.is('.', 1) && this.is('.', 2))) && this.isBlankZ(3);
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.copyMark();
    this.skip();
    for (;;) {
      if (this.isDocumentIndicator()) this.scannerError('while scanning a quoted scalar', start, 'found unexpected document indicator');
      if (this.isZ()) this.scannerError('while scanning a quoted scalar', start, 'found unexpected end of stream');
      let leadingBlanks = false;
      while (!this.isBlankZ()) {
        if (single && this.is("'") && this.is("'", 1)) {
          this.skip();
          this.skip();
        } else if (single && this.is("'")) break;
        else if (!single && this.is('"')) break;
        else if (!single && this.is('\\') && this.isBreak(1)) {
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && this.is('\\')) {
          const e = String.fromCodePoint(this.at(1));
          const codeLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
          if (codeLength === 0 && !'0abt\tnvfre "\'\\N_LP'.includes(e)) this.scannerError('while parsing a quoted scalar', start, 'found unknown escape character');
          this.skip();
          this.skip();
          if (codeLength > 0) {
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHexCp(this.at(k))) this.scannerError('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = value * 16 + parseInt(String.fromCodePoint(this.at(k)), 16);
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) this.scannerError('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else this.skip();
      }
      if (single ? this.is("'") : this.is('"')) break;
      while (this.isBlank() || this.isBreak()) {
        if (this.isBlank()) this.skip();
        else if (!leadingBlanks) {
          this.readLine();
          leadingBlanks = true;
        } else this.readLine();
      }
    }
    this.skip();
    return { type: 'SCALAR', start, end: this.copyMark() };
  }

  private scanPlainScalar(): Token {
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.copyMark();
    let end = this.copyMark();
    for (;;) {
      if (this.isDocumentIndicator()) break;
      if (this.is('#')) break;
      while (!this.isBlankZ()) {
        if ((this.is(':') && this.isBlankZ(1)) || (this.flowLevel > 0 && [...',?[]{}'].some((x) => this.is(x)))) break;
        leadingBlanks = false;
        this.skip();
        end = this.copyMark();
      }
      if (!(this.isBlank() || this.isBreak())) break;
      while (this.isBlank() || this.isBreak()) {
        if (this.isBlank()) {
          if (leadingBlanks && this.mark.column < indent && this.is('\t')) this.scannerError('while scanning a plain scalar', start, 'found a tab character that violates indentation');
          this.skip();
        } else {
          this.readLine();
          leadingBlanks = true;
        }
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { type: 'SCALAR', start, end, plain: true };
  }
}

type State =
  | 'IMPLICIT_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'BLOCK_NODE'
  | 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE'
  | 'FLOW_NODE'
  | 'BLOCK_SEQUENCE_FIRST_ENTRY'
  | 'BLOCK_SEQUENCE_ENTRY'
  | 'INDENTLESS_SEQUENCE_ENTRY'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_FIRST_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_END'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_VALUE'
  | 'FLOW_MAPPING_EMPTY_VALUE'
  | 'END';

type EventType = 'STREAM_END' | 'DOCUMENT_START' | 'DOCUMENT_END' | 'ALIAS' | 'SCALAR' | 'SEQUENCE_START' | 'SEQUENCE_END' | 'MAPPING_START' | 'MAPPING_END';

/** libyaml's parser state machine (events only), and yaml.v2's walk of the first document. */
class Parser {
  private state: State = 'IMPLICIT_DOCUMENT_START';
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: string[] = [];
  private readonly anchors = new Set<string>();
  private pendingAnchor: string | undefined;
  private aliasName = '';
  private documentEnd = 0;

  constructor(private readonly scanner: Scanner) {}

  /** yaml.v2's parser.parse(): stream start, then one node or document, to its end; gives that end's character index. */
  firstDocument(): number {
    // The STREAM-START token opens every stream.
    this.scanner.peek();
    this.scanner.skipToken();
    for (;;) {
      const event = this.next();
      if (event === 'STREAM_END' || event === 'DOCUMENT_END') return this.documentEnd;
      if (event === 'ALIAS' && !this.anchors.has(this.aliasName)) throw new YamlV2Error(`yaml: unknown anchor '${this.aliasName}' referenced`);
    }
  }

  private parserError(problem: string, problemMark: Mark, contextMark?: Mark): never {
    fail('parser', problem, problemMark, contextMark);
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private next(): EventType {
    const s = this.scanner;
    switch (this.state) {
      case 'IMPLICIT_DOCUMENT_START':
      case 'DOCUMENT_START': {
        const implicit = this.state === 'IMPLICIT_DOCUMENT_START';
        let token = s.peek();
        if (!implicit) {
          while (token.type === 'DOCUMENT_END') {
            s.skipToken();
            token = s.peek();
          }
        }
        if (implicit && !['VERSION_DIRECTIVE', 'TAG_DIRECTIVE', 'DOCUMENT_START', 'STREAM_END'].includes(token.type)) {
          this.processDirectives();
          this.states.push('DOCUMENT_END');
          this.state = 'BLOCK_NODE';
          return 'DOCUMENT_START';
        }
        if (token.type !== 'STREAM_END') {
          this.processDirectives();
          token = s.peek();
          if (token.type !== 'DOCUMENT_START') this.parserError('did not find expected <document start>', token.start);
          this.states.push('DOCUMENT_END');
          this.state = 'DOCUMENT_CONTENT';
          s.skipToken();
          return 'DOCUMENT_START';
        }
        this.state = 'END';
        s.skipToken();
        return 'STREAM_END';
      }
      case 'DOCUMENT_CONTENT': {
        const token = s.peek();
        if (['VERSION_DIRECTIVE', 'TAG_DIRECTIVE', 'DOCUMENT_START', 'DOCUMENT_END', 'STREAM_END'].includes(token.type)) {
          this.popState();
          return 'SCALAR';
        }
        return this.parseNode(true, false);
      }
      case 'DOCUMENT_END': {
        const token = s.peek();
        this.documentEnd = token.type === 'DOCUMENT_END' ? token.end.index : token.start.index;
        if (token.type === 'DOCUMENT_END') s.skipToken();
        this.tagDirectives = [];
        this.state = 'DOCUMENT_START';
        return 'DOCUMENT_END';
      }
      case 'BLOCK_NODE':
        return this.parseNode(true, false);
      case 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE':
        return this.parseNode(true, true);
      case 'FLOW_NODE':
        return this.parseNode(false, false);
      case 'BLOCK_SEQUENCE_FIRST_ENTRY':
      case 'BLOCK_SEQUENCE_ENTRY': {
        if (this.state === 'BLOCK_SEQUENCE_FIRST_ENTRY') this.openCollection();
        const token = s.peek();
        if (token.type === 'BLOCK_ENTRY') return this.nodeAfterIndicator(['BLOCK_ENTRY', 'BLOCK_END'], 'BLOCK_SEQUENCE_ENTRY', true, false);
        if (token.type === 'BLOCK_END') return this.closeCollection('SEQUENCE_END');
        this.parserError("did not find expected '-' indicator", token.start, this.marks.pop());
        break;
      }
      case 'INDENTLESS_SEQUENCE_ENTRY': {
        if (s.peek().type === 'BLOCK_ENTRY') return this.nodeAfterIndicator(['BLOCK_ENTRY', 'KEY', 'VALUE', 'BLOCK_END'], 'INDENTLESS_SEQUENCE_ENTRY', true, false);
        this.popState();
        return 'SEQUENCE_END';
      }
      case 'BLOCK_MAPPING_FIRST_KEY':
      case 'BLOCK_MAPPING_KEY': {
        if (this.state === 'BLOCK_MAPPING_FIRST_KEY') this.openCollection();
        const token = s.peek();
        if (token.type === 'KEY') return this.nodeAfterIndicator(['KEY', 'VALUE', 'BLOCK_END'], 'BLOCK_MAPPING_VALUE', true, true);
        if (token.type === 'BLOCK_END') return this.closeCollection('MAPPING_END');
        this.parserError('did not find expected key', token.start, this.marks.pop());
        break;
      }
      case 'BLOCK_MAPPING_VALUE': {
        if (s.peek().type === 'VALUE') return this.nodeAfterIndicator(['KEY', 'VALUE', 'BLOCK_END'], 'BLOCK_MAPPING_KEY', true, true);
        this.state = 'BLOCK_MAPPING_KEY';
        return 'SCALAR';
      }
      case 'FLOW_SEQUENCE_FIRST_ENTRY':
      case 'FLOW_SEQUENCE_ENTRY': {
        const token = this.flowItem(this.state === 'FLOW_SEQUENCE_FIRST_ENTRY', 'FLOW_SEQUENCE_END', "did not find expected ',' or ']'");
        if (token?.type === 'KEY') {
          this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY';
          s.skipToken();
          return 'MAPPING_START';
        }
        if (token && token.type !== 'FLOW_SEQUENCE_END') {
          this.states.push('FLOW_SEQUENCE_ENTRY');
          return this.parseNode(false, false);
        }
        return this.closeCollection('SEQUENCE_END');
      }
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY': {
        const token = s.peek();
        if (!['VALUE', 'FLOW_ENTRY', 'FLOW_SEQUENCE_END'].includes(token.type)) {
          this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_VALUE');
          return this.parseNode(false, false);
        }
        s.skipToken();
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE';
        return 'SCALAR';
      }
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE': {
        if (s.peek().type === 'VALUE') return this.nodeAfterIndicator(['FLOW_ENTRY', 'FLOW_SEQUENCE_END'], 'FLOW_SEQUENCE_ENTRY_MAPPING_END', false, false);
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_END';
        return 'SCALAR';
      }
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_END':
        s.peek();
        this.state = 'FLOW_SEQUENCE_ENTRY';
        return 'MAPPING_END';
      case 'FLOW_MAPPING_FIRST_KEY':
      case 'FLOW_MAPPING_KEY': {
        const token = this.flowItem(this.state === 'FLOW_MAPPING_FIRST_KEY', 'FLOW_MAPPING_END', "did not find expected ',' or '}'");
        if (token?.type === 'KEY') return this.nodeAfterIndicator(['VALUE', 'FLOW_ENTRY', 'FLOW_MAPPING_END'], 'FLOW_MAPPING_VALUE', false, false);
        if (token && token.type !== 'FLOW_MAPPING_END') {
          this.states.push('FLOW_MAPPING_EMPTY_VALUE');
          return this.parseNode(false, false);
        }
        return this.closeCollection('MAPPING_END');
      }
      case 'FLOW_MAPPING_VALUE':
      case 'FLOW_MAPPING_EMPTY_VALUE': {
        const token = s.peek();
        if (this.state === 'FLOW_MAPPING_VALUE' && token.type === 'VALUE') return this.nodeAfterIndicator(['FLOW_ENTRY', 'FLOW_MAPPING_END'], 'FLOW_MAPPING_KEY', false, false);
        this.state = 'FLOW_MAPPING_KEY';
        return 'SCALAR';
      }
      case 'END':
        return 'STREAM_END';
    }
    throw new Error('unreachable parser state');
  }

  /** A collection's start token: its mark is the context of the collection's errors. */
  private openCollection(): void {
    this.marks.push(this.scanner.peek().start);
    this.scanner.skipToken();
  }

  private closeCollection(event: EventType): EventType {
    this.popState();
    this.marks.pop();
    this.scanner.skipToken();
    return event;
  }

  /** A flow collection's next item (after the `,` that must separate items), or undefined at its closing bracket. */
  private flowItem(first: boolean, end: TokenType, problem: string): Token | undefined {
    if (first) this.openCollection();
    const token = this.scanner.peek();
    if (token.type === end) return undefined;
    if (first) return token;
    if (token.type !== 'FLOW_ENTRY') this.parserError(problem, token.start, this.marks.pop());
    this.scanner.skipToken();
    return this.scanner.peek();
  }

  /** After an indicator (`-`, `?`, `:`): a node, or an empty scalar when one of `stops` follows. */
  private nodeAfterIndicator(stops: TokenType[], next: State, block: boolean, indentless: boolean): EventType {
    this.scanner.skipToken();
    if (!stops.includes(this.scanner.peek().type)) {
      this.states.push(next);
      return this.parseNode(block, indentless);
    }
    this.state = next;
    return 'SCALAR';
  }

  private parseNode(block: boolean, indentlessSequence: boolean): EventType {
    const s = this.scanner;
    let token = s.peek();
    if (token.type === 'ALIAS') {
      this.popState();
      this.aliasName = token.value ?? '';
      s.skipToken();
      return 'ALIAS';
    }
    let start = token.start;
    let anchor: string | undefined;
    let tagToken: Token | undefined;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      s.skipToken();
      token = s.peek();
      if (token.type === 'TAG') {
        tagToken = token;
        s.skipToken();
        token = s.peek();
      }
    } else if (token.type === 'TAG') {
      tagToken = token;
      start = token.start;
      s.skipToken();
      token = s.peek();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        s.skipToken();
        token = s.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (!tagToken.value) tag = tagToken.suffix ?? '';
      else {
        const handle = this.tagDirectives.find((d) => d === tagToken.value);
        if (handle !== undefined) tag = handle + (tagToken.suffix ?? '');
        if (tag === '') this.parserError('found undefined tag handle', tagToken.start, start);
      }
    }
    // yaml.v2 registers an anchor as its node is created, before the node's children.
    if (anchor !== undefined) this.anchors.add(anchor);
    if (indentlessSequence && token.type === 'BLOCK_ENTRY') {
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return 'SEQUENCE_START';
    }
    if (token.type === 'SCALAR') {
      this.popState();
      s.skipToken();
      return 'SCALAR';
    }
    if (token.type === 'FLOW_SEQUENCE_START') {
      this.state = 'FLOW_SEQUENCE_FIRST_ENTRY';
      return 'SEQUENCE_START';
    }
    if (token.type === 'FLOW_MAPPING_START') {
      this.state = 'FLOW_MAPPING_FIRST_KEY';
      return 'MAPPING_START';
    }
    if (block && token.type === 'BLOCK_SEQUENCE_START') {
      this.state = 'BLOCK_SEQUENCE_FIRST_ENTRY';
      return 'SEQUENCE_START';
    }
    if (block && token.type === 'BLOCK_MAPPING_START') {
      this.state = 'BLOCK_MAPPING_FIRST_KEY';
      return 'MAPPING_START';
    }
    if (anchor !== undefined || tag !== '') {
      this.popState();
      return 'SCALAR';
    }
    this.parserError('did not find expected node content', token.start, start);
  }

  private processDirectives(): void {
    const s = this.scanner;
    let token = s.peek();
    let version = false;
    while (token.type === 'VERSION_DIRECTIVE' || token.type === 'TAG_DIRECTIVE') {
      if (token.type === 'VERSION_DIRECTIVE') {
        if (version) this.parserError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.parserError('found incompatible YAML document', token.start);
        version = true;
      } else {
        if (this.tagDirectives.includes(token.value ?? '')) this.parserError('found duplicate %TAG directive', token.start);
        this.tagDirectives.push(token.value ?? '');
      }
      s.skipToken();
      token = s.peek();
    }
    for (const handle of ['!', '!!']) if (!this.tagDirectives.includes(handle)) this.tagDirectives.push(handle);
  }
}
