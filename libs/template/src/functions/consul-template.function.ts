import { createHash, createHmac } from 'node:crypto';
import { FunctionError, fn, type FunctionMap } from '../core/function-def';
import { formatV } from '../core/go-format';
import { decodeJson } from '../core/json-decode';
import { encodeJson } from '../core/json-encode';
import { encodeToml } from '../core/toml-encode';
import { encodeYaml } from '../core/yaml-encode';
import { decodeYaml } from '../core/yaml-decode';
import { GoChan, GoInt64, GoUint, JsonNumber, goBytes, goStringFromBytes, goTypeName, intValue, isMap, nilSlice, typedMap, typedSlice, sortedKeys, type GoMap, type GoValue } from '../core/go-value';
import { CorruptInputError, goBase64Decode } from './go-base64';
import { goMatch, goRegexp, goReplaceAll } from './go-regexp';
import { mergoMap } from './go-mergo';
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
      if (intValue(e) !== undefined && intValue(e) === intValue(v)) return true;
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

/** base64.StdEncoding / URLEncoding.DecodeString; the result is bytes (a Go string), not text. */
function base64Decode(text: string, url: boolean, name: string): string {
  try {
    return goStringFromBytes(goBase64Decode(goBytes(text), url ? 'url' : 'std'));
  } catch (err) {
    if (err instanceof CorruptInputError) throw new FunctionError(`${name}: ${err.message}`);
    throw err;
  }
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

function loop(args: GoValue[]): GoValue {
  const to64 = (v: GoValue): bigint => {
    const i = intValue(v);
    if (i !== undefined) return i;
    if (v instanceof GoUint) return v.value;
    // A string kind (json.Number included) goes through parseInt, as funcs.go's to64 does.
    const text = v instanceof JsonNumber ? v.text : v;
    if (typeof text === 'string') return text === '' ? 0n : parseGoInt(text, 'parseInt');
    throw new FunctionError(`loop: bad argument type: ${v === null || v === undefined ? '<nil>' : goTypeName(v)}`);
  };
  if (args.length !== 1 && args.length !== 2) throw new FunctionError(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
  const start = args.length === 2 ? to64(args[0]!) : 0n;
  const stop = to64(args[args.length - 1]!);
  const out: GoValue[] = [];
  for (let i = start; i < stop; i++) out.push(new GoInt64(i));
  return new GoChan('int64', out);
}

export const consulTemplateFunctions: FunctionMap = {
  secret: fn([], (args, ctx) => {
    if (args.length === 0) return null;
    const [path, ...rest] = args;
    return ctx.services.secret(s(path), rest.length === 0 ? undefined : kvArgs(rest));
  }, 'string'),
  secrets: fn(['string'], ([path], ctx) => (s(path) === '' ? nilSlice('string') : ctx.services.secrets(s(path)))),
  pkiCert: fn([], (args, ctx) => {
    if (args.length === 0) return null;
    const [path, ...rest] = args;
    return ctx.services.pkiCert(s(path), kvArgs(rest));
  }, 'string'),

  base64Decode: fn(['string'], ([a]) => base64Decode(s(a), false, 'base64Decode')),
  base64Encode: fn(['string'], ([a]) => goBytes(s(a)).toString('base64')),
  base64URLDecode: fn(['string'], ([a]) => base64Decode(s(a), true, 'base64URLDecode')),
  base64URLEncode: fn(['string'], ([a]) => {
    const b64 = goBytes(s(a)).toString('base64');
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
  mergeMap: fn(['map', 'map'], ([d, src]) => mergoMap((d as GoMap | null) ?? {}, (src as GoMap | null) ?? {}, false)),
  mergeMapWithOverride: fn(['map', 'map'], ([d, src]) => mergoMap((d as GoMap | null) ?? {}, (src as GoMap | null) ?? {}, true)),
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
  parseInt: fn(['string'], ([t]) => new GoInt64(s(t) === '' ? 0n : parseGoInt(s(t), 'parseInt'))),
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
      return decodeYaml(s(t));
    } catch (err) {
      throw new FunctionError((err as Error).message, { cause: err });
    }
  }),
  regexReplaceAll: fn(['string', 'string', 'string'], ([re, pl, t]) => goReplaceAll(goRegexp(s(re)), s(t), s(pl))),
  regexMatch: fn(['string', 'string'], ([re, t]) => goMatch(goRegexp(s(re)), s(t))),
  replaceAll: fn(['string', 'string', 'string'], ([from, to, t]) => (s(from) === '' ? goReplaceEmpty(s(t), s(to)) : s(t).split(s(from)).join(s(to)))),
  sha256Hex: fn(['string'], ([t]) => createHash('sha256').update(goBytes(s(t))).digest('hex')),
  md5sum: fn(['string'], ([t]) => createHash('md5').update(goBytes(s(t))).digest('hex')),
  hmacSHA256Hex: fn(['string', 'string'], ([msg, key]) => createHmac('sha256', goBytes(s(key))).update(goBytes(s(msg))).digest('hex')),
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
