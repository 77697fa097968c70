/**
 * A port of Go's text/template/parse lexer: the same items, trim markers (`{{- ` and
 * ` -}}`), comments, and the same rules for what may follow a word.
 */
export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'comment'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const ALNUM = /^[\p{L}\p{Nd}]$/u;
const isAlphaNumeric = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  if (x < 0x80) return (x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a) || x === 0x5f;
  return ALNUM.test(c);
};

/** Lexes the whole input eagerly; the parser walks the array. */
export function lex(input: string, leftDelim = '{{', rightDelim = '}}'): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  const ld = leftDelim || '{{';
  const rd = rightDelim || '}}';

  const emit = (type: ItemType, val = input.slice(start, pos)): void => {
    items.push({ type, pos: start, val, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += countNewlines(input, start, pos);
    start = pos;
    startLine = line;
  };
  const advanceTo = (p: number): void => {
    line += countNewlines(input, pos, p);
    pos = p;
  };
  const error = (message: string): false => {
    items.push({ type: 'error', pos: start, val: message, line: startLine });
    return false;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) {
      pos++;
      return undefined;
    }
    const cp = input.codePointAt(pos)!;
    const ch = String.fromCodePoint(cp);
    pos += ch.length;
    if (ch === '\n') line++;
    return ch;
  };
  const backup = (ch: string | undefined): void => {
    if (ch === undefined) {
      pos--;
      return;
    }
    pos -= ch.length;
    if (ch === '\n') line--;
  };
  const peek = (): string | undefined => (pos < input.length ? String.fromCodePoint(input.codePointAt(pos)!) : undefined);

  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith(rd, pos + 2)) return { delim: true, trim: true };
    if (input.startsWith(rd, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };

  // Each state returns false when lexing must stop.
  const lexText = (): boolean => {
    const x = input.indexOf(ld, pos);
    if (x < 0) {
      pos = input.length;
      line += countNewlines(input, start, pos);
      if (pos > start) {
        items.push({ type: 'text', pos: start, val: input.slice(start, pos), line: startLine });
      }
      items.push({ type: 'eof', pos, val: '', line });
      return false;
    }
    pos = x;
    let trimLength = 0;
    const delimEnd = pos + ld.length;
    if (input[delimEnd] === '-' && isSpace(input[delimEnd + 1])) {
      trimLength = rightTrimLength(input, start, pos);
    }
    pos -= trimLength;
    line += countNewlines(input, start, pos);
    if (pos > start) items.push({ type: 'text', pos: start, val: input.slice(start, pos), line: startLine });
    pos += trimLength;
    ignore();
    return lexLeftDelim();
  };

  const lexLeftDelim = (): boolean => {
    pos += ld.length;
    const trim = input[pos] === '-' && isSpace(input[pos + 1]);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit('leftDelim', ld);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction();
  };

  const lexComment = (): boolean => {
    pos += 2;
    const x = input.indexOf('*/', pos);
    if (x < 0) return error('unclosed comment');
    advanceTo(x + 2);
    const { delim, trim } = atRightDelim();
    if (!delim) return error('comment ends before closing delimiter');
    emit('comment');
    if (trim) pos += 2;
    pos += rd.length;
    if (trim) pos += leftTrimLength(input, pos);
    ignore();
    return true;
  };

  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += rd.length;
    emit('rightDelim', rd);
    if (trim) {
      pos += leftTrimLength(input, pos);
      ignore();
    }
    return true;
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth === 0) return lexRightDelim(trim);
        return error('unclosed left paren');
      }
      const r = next();
      if (r === undefined) return error('unclosed action');
      if (isSpace(r)) {
        backup(r);
        // lexSpace: stop before a right trim marker.
        let numSpaces = 0;
        for (;;) {
          const c = peek();
          if (!isSpace(c)) break;
          next();
          numSpaces++;
        }
        if (input[pos - 1] !== undefined && input.startsWith('-' + rd, pos) && numSpaces > 0) {
          backup(input[pos - 1]);
          if (numSpaces === 1) {
            continue;
          }
        }
        emit('space');
        continue;
      }
      if (r === '=') {
        emit('assign');
      } else if (r === ':') {
        if (next() !== '=') return error('expected :=');
        emit('declare');
      } else if (r === '|') {
        emit('pipe');
      } else if (r === '"') {
        if (!lexQuote()) return false;
      } else if (r === '`') {
        const x = input.indexOf('`', pos);
        if (x < 0) return error('unterminated raw quoted string');
        advanceTo(x + 1);
        emit('rawString');
      } else if (r === '$') {
        if (!lexFieldOrVariable('variable')) return false;
      } else if (r === "'") {
        if (!lexChar()) return false;
      } else if (r === '.') {
        const c = peek();
        if (c !== undefined && c >= '0' && c <= '9') {
          backup(r);
          if (!lexNumber()) return false;
        } else if (!lexFieldOrVariable('field')) return false;
      } else if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        backup(r);
        if (!lexNumber()) return false;
      } else if (isAlphaNumeric(r)) {
        backup(r);
        if (!lexIdentifier()) return false;
      } else if (r === '(') {
        emit('leftParen');
        parenDepth++;
      } else if (r === ')') {
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) return error('unexpected right paren');
      } else if (r.codePointAt(0)! <= 0x7f && r.codePointAt(0)! >= 0x20) {
        emit('char');
      } else {
        return error(`unrecognized character in action: ${goRune(r)}`);
      }
    }
  };

  const atTerminator = (): boolean => {
    const r = peek();
    if (isSpace(r)) return true;
    switch (r) {
      case undefined:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
    }
    return input.startsWith(rd, pos);
  };

  const lexIdentifier = (): boolean => {
    for (;;) {
      const r = next();
      if (isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return error(`bad character ${goRune(r ?? '')}`);
      const kw = KEYWORDS[word];
      if (kw && kw !== 'dot' && Object.prototype.hasOwnProperty.call(KEYWORDS, word)) emit(kw);
      else if (word[0] === '.') emit('field');
      else if (word === 'true' || word === 'false') emit('bool');
      else emit('identifier');
      return true;
    }
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return error(`bad character ${goRune(r ?? '')}`);
    emit(type);
    return true;
  };

  const lexQuote = (): boolean => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const n = next();
        if (n !== undefined && n !== '\n') continue;
        return error('unterminated quoted string');
      }
      if (r === undefined || r === '\n') return error('unterminated quoted string');
      if (r === '"') break;
    }
    emit('string');
    return true;
  };

  const lexChar = (): boolean => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const n = next();
        if (n !== undefined && n !== '\n') continue;
        return error('unterminated character constant');
      }
      if (r === undefined || r === '\n') return error('unterminated character constant');
      if (r === "'") break;
    }
    emit('charConstant');
    return true;
  };

  const lexNumber = (): boolean => {
    const re = /[+-]?(?:0[xX](?:[0-9a-fA-F_]*)(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[bB][01_]*|0[oO][0-7_]*|[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?)i?/y;
    re.lastIndex = pos;
    const m = re.exec(input);
    const text = m ? m[0] : '';
    pos += text.length;
    if (isAlphaNumeric(peek()) || text === '' || text === '+' || text === '-') {
      next();
      return error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    }
    emit('number');
    return true;
  };

  while (lexText()) {
    /* states run until EOF or error */
  }
  const last = items[items.length - 1];
  if (last && last.type !== 'eof' && last.type !== 'error') items.push({ type: 'eof', pos, val: '', line });
  return items;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function rightTrimLength(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && isSpace(s[i - 1])) i--;
  return to - i;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s[i])) i++;
  return i - from;
}

function goRune(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}
