import { goQuote } from './go-format';
import { JsonNumber, type GoMap, type GoValue } from './go-value';

/**
 * Decodes JSON into Go values the way Vault's API client does (`json.Decoder` with
 * `UseNumber`): numbers stay `json.Number` text, so `1.0` renders as `1.0` and `1e3`
 * as `1e3`. With `numbers: 'float'` it behaves as plain `json.Unmarshal` (parseJSON).
 */
export function decodeJson(text: string, numbers: 'json-number' | 'float' = 'json-number'): GoValue {
  const parser = new Parser(text, numbers);
  parser.space();
  const value = parser.value();
  parser.space();
  if (parser.pos < text.length) parser.bad('after top-level value', parser.pos);
  return value;
}

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly numbers: 'json-number' | 'float',
  ) {}

  /** encoding/json's scanner error: `invalid character 'x' <context>`, or the end of input. */
  bad(context: string, at: number): never {
    if (at >= this.text.length) throw new SyntaxError('unexpected end of JSON input');
    const c = this.text.charCodeAt(at);
    const ch = String.fromCodePoint(this.text.codePointAt(at)!);
    const shown = c === 0x27 ? "'\\''" : c === 0x22 ? `'"'` : `'${goQuote(ch).slice(1, -1)}'`;
    throw new SyntaxError(`invalid character ${shown} ${context}`);
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(): GoValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.bad('looking for beginning of value', this.pos);
    }
  }

  literal(word: string, value: GoValue): GoValue {
    for (let k = 1; k < word.length; k++) {
      if (this.text[this.pos + k] !== word[k]) this.bad(`in literal ${word} (expecting '${word[k]}')`, this.pos + k);
    }
    this.pos += word.length;
    return value;
  }

  number(): GoValue {
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return this.bad('in numeric literal', this.pos + 1);
    this.pos += m[0].length;
    // A point or exponent the regex could not take is missing its digits.
    const next = this.text[this.pos];
    if (next === '.' && !m[0].includes('.') && !/[eE]/.test(m[0])) this.bad('in numeric literal', this.pos + 1);
    if ((next === 'e' || next === 'E') && !/[eE]/.test(m[0])) this.bad('in numeric literal', /[+-]/.test(this.text[this.pos + 1] ?? '') ? this.pos + 2 : this.pos + 1);
    return this.numbers === 'float' ? Number(m[0]) : new JsonNumber(m[0]);
  }

  string(): string {
    const t = this.text;
    let i = this.pos + 1;
    const start = i;
    // Fast path: no escapes.
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 92 || c < 32) break;
      i++;
    }
    let out = t.slice(start, i);
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === '"') {
        this.pos = i + 1;
        return out;
      }
      if (ch === '\\') {
        const e = t[i + 1];
        i += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = t.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.bad('in \\u hexadecimal character escape', i + Math.max(0, [...hex].findIndex((h) => !/[0-9a-fA-F]/.test(h))) + (hex.length < 4 && /^[0-9a-fA-F]*$/.test(hex) ? hex.length : 0));
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            throw new SyntaxError(`invalid escape sequence \`\\${e ?? ''}\` in string`);
        }
        continue;
      }
      if (ch.charCodeAt(0) < 32) this.bad('in string literal', i);
      out += ch;
      i++;
    }
    return this.bad('in string literal', t.length);
  }

  array(): GoValue[] {
    this.pos++;
    const out: GoValue[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value());
      this.space();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.bad('after array element', this.pos - 1);
    }
  }

  object(): GoMap {
    this.pos++;
    const out: GoMap = {};
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.bad('looking for beginning of object key string', this.pos);
      const key = this.string();
      this.space();
      if (this.text[this.pos++] !== ':') this.bad('after object key', this.pos - 1);
      this.space();
      const v = this.value();
      // A "__proto__" key must be data, as in Go; plain assignment keeps objects fast otherwise.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.bad('after object key:value pair', this.pos - 1);
    }
  }
}
