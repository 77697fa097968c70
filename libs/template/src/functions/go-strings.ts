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

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * unicode.ToUpper of one code point (Go's simple case mapping): JavaScript's full mapping
 * where it is one code point, else the simple mapping where one exists (Greek letters
 * with ypogegrammeni go to their titlecase forms), else unchanged (ß stays ß).
 */
function upperRune(ch: string): string {
  const up = ch.toUpperCase();
  if (up.length === ch.length || [...up].length === 1) return up;
  const c = ch.codePointAt(0)!;
  if ((c >= 0x1f80 && c <= 0x1f87) || (c >= 0x1f90 && c <= 0x1f97) || (c >= 0x1fa0 && c <= 0x1fa7)) return String.fromCodePoint(c + 8);
  if (c === 0x1fb3 || c === 0x1fc3 || c === 0x1ff3) return String.fromCodePoint(c + 9);
  return ch;
}

/** unicode.ToLower of one code point: İ (U+0130) maps to i, other multi-character mappings do not apply. */
function lowerRune(ch: string): string {
  if (ch === '\u0130') return 'i';
  const low = ch.toLowerCase();
  return [...low].length === 1 ? low : ch;
}

/** strings.ToUpper. */
export function toUpper(s: string): string {
  if (isAscii(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) out += upperRune(ch);
  return out;
}

/** strings.ToLower. */
export function toLower(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) out += lowerRune(ch);
  return out;
}

const CASED = /\p{Cased}/u;
const WORD_PART = /[\p{L}\p{N}\p{M}\p{Pc}]/u;
/** Unicode word-break MidLetter / MidNumLet / Single_Quote: inside a word unless doubled. */
const MID = /['.:\u00b7\u0387\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a]/;
const TITLE_DIGRAPHS: Record<string, string> = { 'Ǆ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǉ': 'ǈ', 'Ǌ': 'ǋ', 'ǌ': 'ǋ', 'Ǳ': 'ǲ', 'ǳ': 'ǲ' };

/** Title case of one code point (full mapping: ß → Ss, ﬁ → Fi, ǆ → ǅ). */
function titleRune(ch: string): string {
  const digraph = TITLE_DIGRAPHS[ch];
  if (digraph) return digraph;
  const up = ch.toUpperCase();
  if ([...up].length === 1) return up;
  const [first, ...rest] = [...up];
  return first! + rest.join('').toLowerCase();
}

/**
 * cases.Title(language.Und, cases.NoLower) (x/text's titleCaser): the first cased letter of
 * each word is title-cased, the rest is left as is. Digits and `_` do not end a word (so
 * `3rd` → `3Rd`, `a_b` → `A_b`), a single `'` `.` `:` inside a word does not either.
 */
export function toTitle(s: string): string {
  let out = '';
  let midWord = false;
  let prevMid = false;
  for (const ch of s) {
    const mid = MID.test(ch);
    if (prevMid && mid) midWord = false;
    if (CASED.test(ch)) {
      out += midWord ? ch : titleRune(ch);
      midWord = true;
    } else {
      out += ch;
      if (!mid && !WORD_PART.test(ch)) midWord = false;
    }
    prevMid = mid;
  }
  return out;
}
