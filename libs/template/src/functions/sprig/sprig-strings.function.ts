import { createHash } from 'node:crypto';
import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { goQuote } from '../../core/go-format';
import { goBytes, goStringFromBytes, typedMap, typedSlice, type GoMap, type GoValue } from '../../core/go-value';
import { CorruptInputError, goBase64Decode } from '../go-base64';
import { goMatch, goRegexp, goReplaceAll, type GoRegexp } from '../go-regexp';
import { toLower, toUpper, trimCutset, trimSpace } from '../go-strings';
import { strval } from './sprig-values';

/** Sprig v3.2.3's string functions (strings.go, regex.go, crypto hashes), under `sprig_`. */
const s = (v: GoValue): string => v as string;
const n = (v: GoValue): number => Number(v as bigint);
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** strings.Title: upper-cases the first letter after a separator (ASCII non-alphanumerics except _, spaces). */
function goTitle(str: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of str) {
    const sep = prev.codePointAt(0)! <= 0x7f ? !/[0-9A-Za-z_]/.test(prev) : !/[\p{L}\p{Nd}]/u.test(prev) && GO_SPACE.test(prev);
    out += sep ? (ch === 'ǆ' || ch === 'Ǆ' ? 'ǅ' : toUpper(ch)) : ch;
    prev = ch;
  }
  return out;
}

/** goutils word helpers: words are separated by unicode.IsSpace. */
function mapWords(str: string, first: (ch: string) => string): string {
  let out = '';
  let boundary = true;
  for (const ch of str) {
    if (GO_SPACE.test(ch)) {
      boundary = true;
      out += ch;
    } else {
      out += boundary ? first(ch) : ch;
      boundary = false;
    }
  }
  return out;
}

function initials(str: string): string {
  let out = '';
  let boundary = true;
  for (const ch of str) {
    if (GO_SPACE.test(ch)) boundary = true;
    else if (boundary) {
      out += ch;
      boundary = false;
    }
  }
  return out;
}

function swapCase(str: string): string {
  let out = '';
  for (const ch of str) out += ch === toUpper(ch) ? toLower(ch) : toUpper(ch);
  return out;
}

/** goutils.AbbreviateFull. */
function abbreviate(str: string, offset: number, maxWidth: number): string {
  if (str === '' || maxWidth < 4) return str;
  if (str.length <= maxWidth) return str;
  let off = Math.min(offset, str.length);
  if (str.length - off < maxWidth - 3) off = str.length - (maxWidth - 3);
  if (off <= 4) return str.slice(0, maxWidth - 3) + '...';
  if (maxWidth < 7) return str;
  if (off + maxWidth - 3 < str.length) return '...' + abbreviate(str.slice(off), 0, maxWidth - 3);
  return '...' + str.slice(str.length - (maxWidth - 3));
}

/** goutils.WrapCustom (long words are not split). */
function wrap(str: string, width: number, newline: string): string {
  if (str === '') return '';
  const nl = newline === '' ? '\n' : newline;
  const w = Math.max(width, 1);
  let offset = 0;
  let out = '';
  while (str.length - offset > w) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const space = str.slice(offset, w + offset + 1).lastIndexOf(' ');
    if (space >= 0) {
      out += str.slice(offset, offset + space) + nl;
      offset += space + 1;
    } else {
      const next = str.indexOf(' ', w + offset);
      if (next < 0) {
        out += str.slice(offset);
        offset = str.length;
      } else {
        out += str.slice(offset, next) + nl;
        offset = next + 1;
      }
    }
  }
  return out + str.slice(offset);
}

const isConnector = (ch: string): boolean => ch === '-' || ch === '_' || GO_SPACE.test(ch);

/** xstrings.ToCamelCase: connectors removed, the letter after one upper-cased, the first upper-cased. */
function camelCase(str: string): string {
  const chars = [...str];
  let out = '';
  let i = 0;
  while (i < chars.length && isConnector(chars[i]!)) out += chars[i++];
  let upperNext = true;
  for (; i < chars.length; i++) {
    const ch = chars[i]!;
    if (isConnector(ch)) {
      if (i + 1 < chars.length && isConnector(chars[i + 1]!)) out += ch;
      upperNext = true;
      continue;
    }
    out += upperNext ? toUpper(ch) : ch;
    upperNext = false;
  }
  return out;
}

/** xstrings' camelCaseToLowerCaseWithSeparator: words split at case changes and connectors, lower-cased. */
function separated(str: string, sep: string): string {
  const words: string[] = [];
  let word = '';
  const chars = [...str];
  const isUpper = (c: string | undefined): boolean => c !== undefined && c !== toLower(c) && c === toUpper(c);
  const isLower = (c: string | undefined): boolean => c !== undefined && c !== toUpper(c) && c === toLower(c);
  chars.forEach((ch, i) => {
    if (isConnector(ch) || ch === '.') {
      if (word) words.push(word);
      word = '';
      return;
    }
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (word && isUpper(ch) && (isLower(prev) || /\d/.test(prev ?? '') || (isUpper(prev) && isLower(next)))) {
      words.push(word);
      word = '';
    }
    word += ch;
  });
  if (word) words.push(word);
  return words.map(toLower).join(sep);
}

function goSplitMap(parts: string[]): GoMap {
  const m: GoMap = {};
  parts.forEach((p, i) => (m[`_${i}`] = p));
  return typedMap(m, 'string');
}

/** strings.SplitN. */
function splitN(str: string, sep: string, count: number): string[] {
  if (count === 0) return [];
  const all = sep === '' ? [...str] : str.split(sep);
  if (count < 0 || all.length <= count) return all;
  return [...all.slice(0, count - 1), all.slice(count - 1).join(sep)];
}

function b64dec(text: string): string {
  try {
    return goStringFromBytes(goBase64Decode(goBytes(text), 'std'));
  } catch (err) {
    if (err instanceof CorruptInputError) return err.message;
    throw err;
  }
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32enc(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - k * 5)) & 31n)] : '=';
  }
  return out;
}
function b32dec(text: string): string {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 8 !== 0 || !/^[A-Z2-7]*=*$/.test(clean)) return `illegal base32 data at input byte ${Math.max(0, [...clean].findIndex((c) => !/[A-Z2-7=]/.test(c)))}`;
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    const block = clean.slice(i, i + 8);
    const data = block.replace(/=+$/, '');
    let bits = 0n;
    for (let k = 0; k < 8; k++) bits = (bits << 5n) | BigInt(k < data.length ? B32.indexOf(data[k]!) : 0);
    const count = Math.floor((data.length * 5) / 8);
    for (let k = 0; k < count; k++) bytes.push(Number((bits >> BigInt(32 - k * 8)) & 0xffn));
  }
  return goStringFromBytes(Buffer.from(bytes));
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/** sprig's regexFindAll/regexSplit n: -1 for all. */
function matches(re: GoRegexp, str: string, count: number): string[] {
  return re.findAll(str, count < 0 ? -1 : count).map((m) => str.slice(m[0], m[1]));
}
function regexSplit(re: GoRegexp, str: string, count: number): string[] {
  if (count === 0) return [];
  if (str === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of re.findAll(str, count)) {
    if (count > 0 && out.length === count - 1) break;
    end = m[0]!;
    if (m[1] !== 0) out.push(str.slice(beg, end));
    beg = m[1]!;
  }
  if (end !== str.length) out.push(str.slice(beg));
  return out;
}

const mustRe = (pattern: string): GoRegexp => goRegexp(pattern);
const tryRe = (pattern: string): GoRegexp | undefined => {
  try {
    return goRegexp(pattern);
  } catch {
    return undefined;
  }
};

export const sprigStringFunctions: FunctionMap = {
  sprig_upper: fn(['string'], ([a]) => toUpper(s(a))),
  sprig_lower: fn(['string'], ([a]) => toLower(s(a))),
  sprig_title: fn(['string'], ([a]) => goTitle(s(a))),
  sprig_untitle: fn(['string'], ([a]) => mapWords(s(a), toLower)),
  sprig_trim: fn(['string'], ([a]) => trimSpace(s(a))),
  sprig_trimAll: fn(['string', 'string'], ([cut, t]) => trimCutset(s(t), s(cut))),
  sprig_trimall: fn(['string', 'string'], ([cut, t]) => trimCutset(s(t), s(cut))),
  sprig_trimSuffix: fn(['string', 'string'], ([x, t]) => (s(t).endsWith(s(x)) ? s(t).slice(0, s(t).length - s(x).length) : s(t))),
  sprig_trimPrefix: fn(['string', 'string'], ([x, t]) => (s(t).startsWith(s(x)) ? s(t).slice(s(x).length) : s(t))),
  sprig_nospace: fn(['string'], ([a]) => [...s(a)].filter((c) => !GO_SPACE.test(c)).join('')),
  sprig_initials: fn(['string'], ([a]) => initials(s(a))),
  sprig_swapcase: fn(['string'], ([a]) => swapCase(s(a))),
  sprig_camelcase: fn(['string'], ([a]) => camelCase(s(a))),
  sprig_snakecase: fn(['string'], ([a]) => separated(s(a), '_')),
  sprig_kebabcase: fn(['string'], ([a]) => separated(s(a), '-')),
  sprig_wrap: fn(['int', 'string'], ([w, t]) => wrap(s(t), n(w), '')),
  sprig_wrapWith: fn(['int', 'string', 'string'], ([w, sep, t]) => wrap(s(t), n(w), s(sep))),
  sprig_contains: fn(['string', 'string'], ([sub, t]) => s(t).includes(s(sub))),
  sprig_hasPrefix: fn(['string', 'string'], ([p, t]) => s(t).startsWith(s(p))),
  sprig_hasSuffix: fn(['string', 'string'], ([p, t]) => s(t).endsWith(s(p))),
  sprig_quote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '), 'any'),
  sprig_squote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '), 'any'),
  sprig_cat: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => strval(a)).join(' '), 'any'),
  sprig_indent: fn(['int', 'string'], ([k, t]) => ' '.repeat(Math.max(0, n(k))) + s(t).split('\n').join('\n' + ' '.repeat(Math.max(0, n(k))))),
  sprig_nindent: fn(['int', 'string'], ([k, t]) => '\n' + ' '.repeat(Math.max(0, n(k))) + s(t).split('\n').join('\n' + ' '.repeat(Math.max(0, n(k))))),
  sprig_replace: fn(['string', 'string', 'string'], ([o, nw, t]) => (s(o) === '' ? s(nw) + [...s(t)].join(s(nw)) + (s(t) ? s(nw) : '') : s(t).split(s(o)).join(s(nw)))),
  sprig_plural: fn(['string', 'string', 'int'], ([one, many, c]) => ((c as bigint) === 1n ? s(one) : s(many))),
  sprig_repeat: fn(['int', 'string'], ([c, t]) => {
    if ((c as bigint) < 0n) throw new FunctionError('strings: negative Repeat count');
    return s(t).repeat(n(c));
  }),
  sprig_substr: fn(['int', 'int', 'string'], ([a, b, t]) => {
    const bytes = goBytes(s(t));
    const start = n(a);
    const end = n(b);
    const slice = (i: number, j: number): string => {
      if (i < 0 || j > bytes.length || i > j) throw new FunctionError(`runtime error: slice bounds out of range [${i}:${j}]`);
      return goStringFromBytes(bytes.subarray(i, j));
    };
    if (start < 0) return slice(0, end);
    if (end < 0 || end > bytes.length) return slice(start, bytes.length);
    return slice(start, end);
  }),
  sprig_trunc: fn(['int', 'string'], ([c, t]) => {
    const bytes = goBytes(s(t));
    const k = n(c);
    if (k < 0 && bytes.length + k > 0) return goStringFromBytes(bytes.subarray(bytes.length + k));
    if (k >= 0 && bytes.length > k) return goStringFromBytes(bytes.subarray(0, k));
    return s(t);
  }),
  sprig_abbrev: fn(['int', 'string'], ([w, t]) => (n(w) < 4 ? s(t) : abbreviate(s(t), 0, n(w)))),
  sprig_abbrevboth: fn(['int', 'int', 'string'], ([l, r, t]) => (n(r) < 4 || (n(l) > 0 && n(r) < 7) ? s(t) : abbreviate(s(t), n(l), n(r)))),
  sprig_split: fn(['string', 'string'], ([sep, t]) => goSplitMap(s(sep) === '' ? [...s(t)] : s(t).split(s(sep)))),
  sprig_splitn: fn(['string', 'int', 'string'], ([sep, c, t]) => goSplitMap(splitN(s(t), s(sep), n(c)))),
  sprig_splitList: fn(['string', 'string'], ([sep, t]) => typedSlice(s(sep) === '' ? [...s(t)] : s(t).split(s(sep)), 'string')),
  sprig_b64enc: fn(['string'], ([a]) => goBytes(s(a)).toString('base64')),
  sprig_b64dec: fn(['string'], ([a]) => b64dec(s(a))),
  sprig_b32enc: fn(['string'], ([a]) => b32enc(goBytes(s(a)))),
  sprig_b32dec: fn(['string'], ([a]) => b32dec(s(a))),
  sprig_sha1sum: fn(['string'], ([a]) => createHash('sha1').update(goBytes(s(a))).digest('hex')),
  sprig_sha256sum: fn(['string'], ([a]) => createHash('sha256').update(goBytes(s(a))).digest('hex')),
  sprig_adler32sum: fn(['string'], ([a]) => String(adler32(goBytes(s(a))))),
  sprig_regexMatch: fn(['string', 'string'], ([re, t]) => {
    const r = tryRe(s(re));
    return r ? goMatch(r, s(t)) : false;
  }),
  sprig_mustRegexMatch: fn(['string', 'string'], ([re, t]) => goMatch(mustRe(s(re)), s(t))),
  sprig_regexFindAll: fn(['string', 'string', 'int'], ([re, t, c]) => typedSlice(matches(mustRe(s(re)), s(t), n(c)), 'string')),
  sprig_mustRegexFindAll: fn(['string', 'string', 'int'], ([re, t, c]) => typedSlice(matches(mustRe(s(re)), s(t), n(c)), 'string')),
  sprig_regexFind: fn(['string', 'string'], ([re, t]) => matches(mustRe(s(re)), s(t), 1)[0] ?? ''),
  sprig_mustRegexFind: fn(['string', 'string'], ([re, t]) => matches(mustRe(s(re)), s(t), 1)[0] ?? ''),
  sprig_regexReplaceAll: fn(['string', 'string', 'string'], ([re, t, r]) => goReplaceAll(mustRe(s(re)), s(t), s(r))),
  sprig_mustRegexReplaceAll: fn(['string', 'string', 'string'], ([re, t, r]) => goReplaceAll(mustRe(s(re)), s(t), s(r))),
  sprig_regexReplaceAllLiteral: fn(['string', 'string', 'string'], ([re, t, r]) => goReplaceAll(mustRe(s(re)), s(t), s(r), true)),
  sprig_mustRegexReplaceAllLiteral: fn(['string', 'string', 'string'], ([re, t, r]) => goReplaceAll(mustRe(s(re)), s(t), s(r), true)),
  sprig_regexSplit: fn(['string', 'string', 'int'], ([re, t, c]) => typedSlice(regexSplit(mustRe(s(re)), s(t), n(c)), 'string')),
  sprig_mustRegexSplit: fn(['string', 'string', 'int'], ([re, t, c]) => typedSlice(regexSplit(mustRe(s(re)), s(t), n(c)), 'string')),
  sprig_regexQuoteMeta: fn(['string'], ([t]) => s(t).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
};
