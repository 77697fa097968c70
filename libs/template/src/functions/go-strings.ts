/** Go's strings package where it differs from JavaScript's String methods. */

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** strings.TrimSpace (Go's unicode.IsSpace set, which excludes U+FEFF). */
export function trimSpace(s: string): string {
  if (s.length === 0 || (s.charCodeAt(0) > 0x20 && s.charCodeAt(0) < 0x7f && s.charCodeAt(s.length - 1) > 0x20 && s.charCodeAt(s.length - 1) < 0x7f)) return s;
  let a = 0;
  let b = s.length;
  while (a < b && GO_SPACE.test(s[a]!)) a++;
  while (b > a && GO_SPACE.test(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** strings.Trim with a cutset of code points. */
export function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** strings.Split: an empty separator splits into UTF-8 sequences (code points). */
export function split(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/** unicode.ToUpper per code point: no multi-character expansions (ß stays ß). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function toUpper(s: string): string {
  if (isAscii(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += [...up].length === 1 ? up : ch;
  }
  return out;
}

export function toLower(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if (ch === 'İ') {
      out += 'i̇';
      continue;
    }
    const low = ch.toLowerCase();
    out += [...low].length === 1 ? low : ch;
  }
  return out;
}

/** cases.Title(language.Und, cases.NoLower): upper-case the first letter of each word. */
export function toTitle(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const isLetter = /[\p{L}\p{N}\p{M}]/u.test(ch);
    const mid: boolean = inWord && (ch === "'" || ch === '’' || ch === '.' || ch === ':');
    if (isLetter && !inWord) {
      const t = ch.toUpperCase();
      out += [...t].length === 1 ? t : ch;
    } else out += ch;
    inWord = isLetter || mid ? true : false;
  }
  return out;
}
