import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { type GoMap, type GoValue } from '../../core/go-value';

/**
 * Sprig's urlParse / urlJoin over a port of the parts of Go's net/url they use: Parse
 * (scheme lower-cased, fragment and query cut first, opaque URLs, authority with
 * userinfo) and URL.String (with its path and userinfo escaping).
 */
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

function unescape(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw new FunctionError(`unable to parse url: invalid URL escape ${JSON.stringify(s)}`);
  }
}

function escape(s: string, keep: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) || keep.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface GoUrl {
  scheme: string;
  opaque: string;
  userinfo: string;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function userString(user: string, password: string | undefined): string {
  const userKeep = /[$&+,;=!*'()]/;
  return escape(user, userKeep) + (password === undefined ? '' : ':' + escape(password, userKeep));
}

/** url.Parse. */
function parseUrl(raw: string): GoUrl {
  const [withoutFrag, ...fragParts] = raw.split('#');
  let rest = withoutFrag!;
  const fragment = unescape(fragParts.join('#'));
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) throw new FunctionError('unable to parse url: parse ' + JSON.stringify(raw) + ': missing protocol scheme');
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const url: GoUrl = { scheme, opaque: '', userinfo: '', host: '', path: '', rawQuery, fragment };
  if (!rest.startsWith('/') && scheme !== '') {
    url.opaque = rest;
    return url;
  }
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      url.userinfo = colon < 0 ? userString(unescape(info), undefined) : userString(unescape(info.slice(0, colon)), unescape(info.slice(colon + 1)));
    }
    url.host = unescape(authority.slice(at + 1));
  }
  url.path = unescape(rest);
  return url;
}

/** URL.Hostname(): the host without port or IPv6 brackets. */
function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** URL.String(). */
function urlString(u: GoUrl): string {
  let out = u.scheme ? `${u.scheme}:` : '';
  if (u.opaque) out += u.opaque;
  else {
    if (u.scheme || u.host || u.userinfo) {
      if (u.host || u.path || u.userinfo) out += '//';
      if (u.userinfo) out += `${u.userinfo}@`;
      out += escape(u.host, /[!$&'()*+,;=:[\]<>"]/);
    }
    const path = escape(u.path, /[$&+,/:;=@!*'()]/);
    if (path && !path.startsWith('/') && u.host) out += '/';
    if (out === '' && (path.split('/')[0] ?? '').includes(':')) out += './';
    out += path;
  }
  if (u.rawQuery) out += `?${u.rawQuery}`;
  if (u.fragment) out += `#${escape(u.fragment, /[$&+,/:;=@!*'()?]/)}`;
  return out;
}

const field = (d: GoMap, key: string): string => {
  const v: GoValue = Object.prototype.hasOwnProperty.call(d, key) ? (d[key] ?? null) : '';
  if (typeof v !== 'string') throw new FunctionError(`interface conversion: interface {} is ${v === null ? 'nil' : typeof v}, not string`);
  return v;
};

export const sprigUrlFunctions: FunctionMap = {
  sprig_urlParse: fn(['string'], ([raw]) => {
    const u = parseUrl(raw as string);
    const out: GoMap = { scheme: u.scheme, host: u.host, hostname: hostname(u.host), path: u.path, query: u.rawQuery, opaque: u.opaque, fragment: u.fragment, userinfo: u.userinfo };
    return out;
  }),
  sprig_urlJoin: fn(['map'], ([d]) => {
    const m = (d as GoMap | null) ?? {};
    const userinfo = field(m, 'userinfo');
    let user = '';
    if (userinfo !== '') user = parseUrl(`proto://${userinfo}@host`).userinfo;
    return urlString({ scheme: field(m, 'scheme'), host: field(m, 'host'), path: field(m, 'path'), rawQuery: field(m, 'query'), opaque: field(m, 'opaque'), fragment: field(m, 'fragment'), userinfo: user });
  }),
};
