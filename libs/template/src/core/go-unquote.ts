/** strconv.Unquote / UnquoteChar for the string and char literals of a template. */
export function unquote(quoted: string): string {
  const q = quoted[0];
  if (q === '`') return quoted.slice(1, -1).replace(/\r/g, '');
  const body = quoted.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const [value, next] = unescape(body, i + 1, q!);
    out += value;
    i = next;
  }
  return out;
}

export function unquoteChar(quoted: string): number {
  const body = quoted.slice(1, -1);
  if (body[0] === '\\') {
    const [value, next] = unescape(body, 1, "'");
    if (next !== body.length) throw new SyntaxError(`malformed character constant: ${quoted}`);
    return value.codePointAt(0) ?? 0;
  }
  const cp = body.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp).length !== body.length) throw new SyntaxError(`malformed character constant: ${quoted}`);
  return cp;
}

function unescape(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  switch (c) {
    case 'a':
      return ['\x07', i + 1];
    case 'b':
      return ['\b', i + 1];
    case 'f':
      return ['\f', i + 1];
    case 'n':
      return ['\n', i + 1];
    case 'r':
      return ['\r', i + 1];
    case 't':
      return ['\t', i + 1];
    case 'v':
      return ['\v', i + 1];
    case '\\':
      return ['\\', i + 1];
    case 'x':
    case 'u':
    case 'U': {
      const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new SyntaxError('invalid escape');
      const v = parseInt(hex, 16);
      // \x is a byte; for ASCII it is the same character.
      return [c === 'x' ? String.fromCharCode(v) : String.fromCodePoint(v), i + 1 + n];
    }
    default:
      if (c !== undefined && c >= '0' && c <= '7') {
        const oct = s.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError('invalid escape');
        return [String.fromCharCode(parseInt(oct, 8)), i + 3];
      }
      if (c === quote) return [c, i + 1];
      throw new SyntaxError('invalid escape');
  }
}
