import { createHash, createHmac } from 'node:crypto';
import { parse as parseYamlText } from 'yaml';
import { FunctionError, fn, type FunctionMap } from '../core/function-def';
import { formatV } from '../core/go-format';
import { decodeJson } from '../core/json-decode';
import { encodeJson } from '../core/json-encode';
import { encodeToml } from '../core/toml-encode';
import { encodeYaml } from '../core/yaml-encode';
import { GoUint, JsonNumber, goTypeName, isMap, typedMap, typedSlice, sortedKeys, type GoMap, type GoValue } from '../core/go-value';
import { goRegexp, goReplaceAll } from './go-regexp';
import { split, toLower, toTitle, toUpper, trimCutset, trimSpace } from './go-strings';
import { formatGoTime } from './go-time';
import { mathFunctions } from './math.function';

/** The consul-template helper functions (template/funcs.go) that make sense without Consul. */

const s = (v: GoValue): string => v as string;

function kvArgs(rest: GoValue[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const raw of rest) {
    const str = raw as string;
    if (str.length === 0) continue;
    const eq = str.indexOf('=');
    if (eq < 0) throw new FunctionError(`not k=v pair "${str}"`);
    data[str.slice(0, eq).trim()] = str.slice(eq + 1).trim();
  }
  return data;
}

/** consul-template's `in`: membership in a slice (same type), or substring of a string. */
export function inList(l: GoValue, v: GoValue): boolean {
  if (Array.isArray(l)) {
    for (const e of l) {
      if (typeof e === 'bigint' && typeof v === 'bigint' && e === v) return true;
      if (typeof e === 'number' && typeof v === 'number' && e === v) return true;
      if (typeof e === 'string' && typeof v === 'string' && e === v) return true;
      if (e instanceof JsonNumber && v instanceof JsonNumber && e.text === v.text) return true;
    }
    return false;
  }
  if (typeof l === 'string') return typeof v === 'string' && l.includes(v);
  if (l instanceof JsonNumber) return v instanceof JsonNumber && l.text.includes(v.text);
  return false;
}

function containsSome(retTrue: boolean, invert: boolean) {
  return fn(['interfaceSlice', 'any'], ([v, l]) => {
    for (const e of (v as GoValue[] | null) ?? []) if (inList(l ?? null, e ?? null) !== invert) return !retTrue;
    return retTrue;
  });
}

function base64Decode(text: string, url: boolean, name: string): string {
  const alphabet = url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(text) || text.length % 4 !== 0) throw new FunctionError(`${name}: illegal base64 data at input byte ${firstBad(text, url)}`);
  return Buffer.from(text, url ? 'base64url' : 'base64').toString('utf8');
}
function firstBad(text: string, url: boolean): number {
  const ok = url ? /[A-Za-z0-9_-]/ : /[A-Za-z0-9+/]/;
  for (let i = 0; i < text.length; i++) if (!ok.test(text[i]!)) return i;
  return text.length;
}

function parseGoInt(text: string, name: string): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new FunctionError(`${name}: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = BigInt(text);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new FunctionError(`${name}: strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new FunctionError(`parseBool: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

function parseGoFloat(text: string): number {
  const t = text.replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0[xX]/.test(t)) throw new FunctionError(`parseFloat: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(t);
}

/** yaml.v2 Unmarshal into interface{}: maps (map[interface{}]interface{}), ints, floats. */
function fromYaml(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v;
  if (Array.isArray(v)) return v.map(fromYaml);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const out: GoMap = {};
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) out[k] = fromYaml(e);
    return out;
  }
  return String(v);
}

function indent(spaces: bigint, text: string): string {
  if (spaces < 0n) throw new FunctionError('indent value must be a positive integer');
  const prefix = ' '.repeat(Number(spaces));
  let out = '';
  let sp = true;
  for (const ch of text) {
    if (sp && ch !== '\n') out += prefix;
    out += ch;
    sp = ch === '\n';
  }
  return out;
}

function explodeMap(input: GoMap): GoMap {
  const out: GoMap = {};
  const helper = (m: GoMap, k: string, v: GoValue, p: string): void => {
    if (k.includes('/')) {
      const parts = k.split('/');
      const top = parts[0]!;
      const key = parts.slice(1).join('/');
      if (!Object.prototype.hasOwnProperty.call(m, top)) m[top] = {};
      const nest = m[top];
      if (!isMap(nest ?? null)) throw new FunctionError(`explodeMap: not a map: "${p}": "${top}" already has value ${formatV(nest)}`);
      helper(nest as GoMap, key, v, k);
      return;
    }
    if (k !== '') m[k] = v;
  };
  for (const k of sortedKeys(input)) helper(out, k, input[k] ?? null, k);
  return out;
}

/** mergo.Map: copies keys of src missing (or, with override, all) into dst, recursing into maps. */
function mergeMaps(dst: GoMap, src: GoMap, override: boolean): GoMap {
  for (const k of Object.keys(src)) {
    const sv = src[k] ?? null;
    const dv = dst[k];
    if (isMap(dv ?? null) && isMap(sv)) mergeMaps(dv as GoMap, sv as GoMap, override);
    else if (!Object.prototype.hasOwnProperty.call(dst, k) || dv === null || (override && sv !== null)) dst[k] = sv;
  }
  return dst;
}

function loop(args: GoValue[]): GoValue {
  const to64 = (v: GoValue): bigint => {
    if (typeof v === 'bigint') return v;
    if (v instanceof GoUint) return v.value;
    if (typeof v === 'string') return v === '' ? 0n : parseGoInt(v, 'parseInt');
    throw new FunctionError(`loop: bad argument type: ${v === null || v === undefined ? '<nil>' : goTypeName(v)}`);
  };
  if (args.length !== 1 && args.length !== 2) throw new FunctionError(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
  const start = args.length === 2 ? to64(args[0]!) : 0n;
  const stop = to64(args[args.length - 1]!);
  const out: GoValue[] = [];
  for (let i = start; i < stop; i++) out.push(i);
  return typedSlice(out, 'int');
}

export const consulTemplateFunctions: FunctionMap = {
  secret: fn([], (args, ctx) => {
    if (args.length === 0) return null;
    const [path, ...rest] = args;
    return ctx.services.secret(s(path), rest.length === 0 ? undefined : kvArgs(rest));
  }, 'string'),
  secrets: fn(['string'], ([path], ctx) => (s(path) === '' ? typedSlice([], 'string') : ctx.services.secrets(s(path)))),
  pkiCert: fn([], (args, ctx) => {
    if (args.length === 0) return null;
    const [path, ...rest] = args;
    return ctx.services.pkiCert(s(path), kvArgs(rest));
  }, 'string'),

  base64Decode: fn(['string'], ([a]) => base64Decode(s(a), false, 'base64Decode')),
  base64Encode: fn(['string'], ([a]) => Buffer.from(s(a), 'utf8').toString('base64')),
  base64URLDecode: fn(['string'], ([a]) => base64Decode(s(a), true, 'base64URLDecode')),
  base64URLEncode: fn(['string'], ([a]) => {
    const b64 = Buffer.from(s(a), 'utf8').toString('base64');
    return b64.replace(/\+/g, '-').replace(/\//g, '_');
  }),
  contains: fn(['any', 'any'], ([v, l]) => inList(l ?? null, v ?? null)),
  containsAll: containsSome(true, true),
  containsAny: containsSome(false, false),
  containsNone: containsSome(true, false),
  containsNotAll: containsSome(false, true),
  env: fn(['string'], ([name], ctx) => ctx.services.env(s(name)) ?? ''),
  mustEnv: fn(['string'], ([name], ctx) => {
    const v = ctx.services.env(s(name)) ?? '';
    if (v === '') throw new FunctionError(`required environment variable ${s(name)} is empty`);
    return v;
  }),
  envOrDefault: fn(['string', 'string'], ([name, def], ctx) => ctx.services.env(s(name)) ?? s(def)),
  executeTemplate: fn(['string'], ([name, ...data], ctx) => {
    if (data.length > 1) throw new FunctionError(`executeTemplate: wrong number of arguments, expected 1 or 2, but got ${data.length + 1}`);
    const dot = data.length === 1 ? data[0] : null;
    return ctx.executeTemplate(s(name), dot === null ? undefined : dot);
  }, 'any'),
  explodeMap: fn(['map'], ([m]) => explodeMap((m as GoMap | null) ?? {})),
  mergeMap: fn(['map', 'map'], ([d, src]) => mergeMaps((d as GoMap | null) ?? {}, (src as GoMap | null) ?? {}, false)),
  mergeMapWithOverride: fn(['map', 'map'], ([d, src]) => mergeMaps((d as GoMap | null) ?? {}, (src as GoMap | null) ?? {}, true)),
  in: fn(['any', 'any'], ([l, v]) => inList(l ?? null, v ?? null)),
  indent: fn(['int', 'string'], ([n, t]) => indent(n as bigint, s(t))),
  loop: fn([], (args) => loop(args), 'any'),
  join: fn(['string', 'stringSlice'], ([sep, list]) => ((list as string[] | null) ?? []).join(s(sep))),
  trim: fn(['string', 'string'], ([cut, t]) => trimCutset(s(t), s(cut))),
  trimPrefix: fn(['string', 'string'], ([p, t]) => (s(p) !== '' && s(t).startsWith(s(p)) ? s(t).slice(s(p).length) : s(t))),
  trimSuffix: fn(['string', 'string'], ([p, t]) => (s(p) !== '' && s(t).endsWith(s(p)) ? s(t).slice(0, s(t).length - s(p).length) : s(t))),
  trimSpace: fn(['string'], ([t]) => trimSpace(s(t))),
  parseBool: fn(['string'], ([t]) => (s(t) === '' ? false : parseGoBool(s(t)))),
  parseFloat: fn(['string'], ([t]) => (s(t) === '' ? 0 : parseGoFloat(s(t)))),
  parseInt: fn(['string'], ([t]) => (s(t) === '' ? 0n : parseGoInt(s(t), 'parseInt'))),
  parseUint: fn(['string'], ([t]) => {
    if (s(t) === '') return new GoUint(0n);
    if (!/^\+?\d+$/.test(s(t))) throw new FunctionError(`parseUint: strconv.ParseUint: parsing ${JSON.stringify(s(t))}: invalid syntax`);
    return new GoUint(BigInt(s(t)));
  }),
  parseJSON: fn(['string'], ([t]) => {
    if (s(t) === '') return {};
    try {
      return decodeJson(s(t), 'float');
    } catch (err) {
      throw new FunctionError((err as Error).message, { cause: err });
    }
  }),
  parseYAML: fn(['string'], ([t]) => {
    if (s(t) === '') return {};
    try {
      return fromYaml(parseYamlText(s(t), { version: '1.1' }));
    } catch (err) {
      throw new FunctionError((err as Error).message, { cause: err });
    }
  }),
  regexReplaceAll: fn(['string', 'string', 'string'], ([re, pl, t]) => goReplaceAll(goRegexp(s(re), true), s(t), s(pl))),
  regexMatch: fn(['string', 'string'], ([re, t]) => {
    const r = goRegexp(s(re), false);
    return r.test(s(t));
  }),
  replaceAll: fn(['string', 'string', 'string'], ([from, to, t]) => (s(from) === '' ? goReplaceEmpty(s(t), s(to)) : s(t).split(s(from)).join(s(to)))),
  sha256Hex: fn(['string'], ([t]) => createHash('sha256').update(s(t), 'utf8').digest('hex')),
  md5sum: fn(['string'], ([t]) => createHash('md5').update(s(t), 'utf8').digest('hex')),
  hmacSHA256Hex: fn(['string', 'string'], ([msg, key]) => createHmac('sha256', Buffer.from(s(key), 'utf8')).update(s(msg), 'utf8').digest('hex')),
  timestamp: fn([], (args, ctx) => {
    const now = ctx.services.now();
    if (args.length === 0) return formatGoTime(now, '2006-01-02T15:04:05Z07:00');
    if (args.length === 1) return s(args[0]) === 'unix' ? String(Math.floor(now.getTime() / 1000)) : formatGoTime(now, s(args[0]));
    throw new FunctionError(`timestamp: wrong number of arguments, expected 0 or 1, but got ${args.length}`);
  }, 'string'),
  toLower: fn(['string'], ([t]) => toLower(s(t))),
  toUpper: fn(['string'], ([t]) => toUpper(s(t))),
  toTitle: fn(['string'], ([t]) => toTitle(s(t))),
  toJSON: fn(['any'], ([v]) => wrapEncode('toJSON', () => encodeJson(v ?? null))),
  toJSONPretty: fn(['any'], ([v]) => wrapEncode('toJSONPretty', () => encodeJson(v ?? null, { indent: '  ' }))),
  toUnescapedJSON: fn(['any'], ([v]) => wrapEncode('toUnescapedJSON', () => encodeJson(v ?? null, { escapeHtml: false }))),
  toUnescapedJSONPretty: fn(['any'], ([v]) => wrapEncode('toUnescapedJSONPretty', () => encodeJson(v ?? null, { indent: '  ', escapeHtml: false }))),
  toYAML: fn(['any'], ([v]) => wrapEncode('toYAML', () => trimSpace(encodeYaml(v ?? null)))),
  toTOML: fn(['any'], ([v]) => wrapEncode('toTOML', () => trimSpace(encodeToml(v ?? null)))),
  split: fn(['string', 'string'], ([sep, t]) => {
    const text = trimSpace(s(t));
    return typedSlice(text === '' ? [] : split(text, s(sep)), 'string');
  }),
  splitToMap: fn(['string', 'string', 'string'], ([sep1, sep2, t]) => {
    const text = trimSpace(s(t));
    const m: GoMap = {};
    if (text !== '') {
      for (const part of split(text, s(sep1))) {
        const i = s(sep2) === '' ? 0 : part.indexOf(s(sep2));
        if (i < 0) continue;
        m[part.slice(0, i)] = part.slice(i + s(sep2).length);
      }
    }
    return typedMap(m, 'string');
  }),
  writeToFile: fn(['string', 'string', 'string', 'string'], ([path, user, group, perms, ...rest], ctx) => {
    const flags = rest.length === 2 ? s(rest[0]) : '';
    const content = rest.length > 0 ? s(rest[rest.length - 1]) : '';
    if (!/^[0-7]+$/.test(s(perms))) throw new FunctionError(`strconv.ParseUint: parsing ${JSON.stringify(s(perms))}: invalid syntax`);
    ctx.services.writeToFile(s(path), content, {
      mode: parseInt(s(perms), 8),
      append: flags.includes('append'),
      newline: flags.includes('newline'),
      user: s(user),
      group: s(group),
    });
    return '';
  }, 'string'),
  ...mathFunctions,
};

/** strings.Replace with an empty old string inserts `to` before every rune and at the end. */
function goReplaceEmpty(t: string, to: string): string {
  return to + [...t].join(to) + (t.length > 0 ? to : '');
}

function wrapEncode(name: string, encode: () => string): string {
  try {
    return encode();
  } catch (err) {
    throw new FunctionError(`${name}: ${(err as Error).message}`, { cause: err });
  }
}
