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
  if (parser.pos < text.length) parser.fail('invalid character after top-level value');
  return value;
}

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly numbers: 'json-number' | 'float',
  ) {}

  fail(message: string): never {
    throw new SyntaxError(`${message} at offset ${this.pos}`);
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
        return this.fail(`invalid character ${JSON.stringify(c ?? 'EOF')}`);
    }
  }

  literal(word: string, value: GoValue): GoValue {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail('invalid literal');
  }

  number(): GoValue {
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return this.fail('invalid number');
    this.pos += m[0].length;
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
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            this.fail('invalid escape');
        }
        continue;
      }
      if (ch.charCodeAt(0) < 32) this.fail('control character in string');
      out += ch;
      i++;
    }
    return this.fail('unterminated string');
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
      if (c !== ',') this.fail('expected , or ]');
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
      if (this.text[this.pos] !== '"') this.fail('expected object key');
      const key = this.string();
      this.space();
      if (this.text[this.pos++] !== ':') this.fail('expected :');
      this.space();
      const v = this.value();
      // A "__proto__" key must be data, as in Go; plain assignment keeps objects fast otherwise.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }
}
