import { GoChan, GoInt64, compareGoStrings, goTypeName, intValue, mapElem, mapKey, GoNilPointer, GoStruct, GoUint, JsonNumber, isMap, isNilSlice, sortedKeys, type GoMap, type GoValue } from './go-value';

/** encoding/json.Marshal / MarshalIndent of Go values, byte-compatible with Go's output. */
export function encodeJson(v: GoValue, options: { indent?: string; escapeHtml?: boolean } = {}): string {
  const html = options.escapeHtml ?? true;
  try {
    return encode(v, options.indent ?? '', html, '');
  } catch (err) {
    if (err !== MEMBER_NAME) throw err;
    // Go's encoding/json (on json/v2) names the map and the compact output length at the failure.
    const at = locateBadMemberName(v, html, 0, '');
    const within = at && at.pointer ? ` within "${at.pointer}"` : '';
    throw new Error(`json: unsupported value: jsontext: object member name must be a string${within} after offset ${at?.offset ?? 0}`);
  }
}

const MEMBER_NAME = new Error('json: unsupported value: jsontext: object member name must be a string');

/**
 * Where jsontext stops on a map key that is not a string or an integer: the JSON pointer of
 * the map and the offset it reports (compact output up to and including the map's `{`, plus one).
 */
function locateBadMemberName(v: GoValue, html: boolean, pos: number, pointer: string): { pointer: string; offset: number } | undefined {
  if (v === undefined || v === null || v instanceof GoNilPointer) return undefined;
  let children: [string, GoValue][];
  if (Array.isArray(v)) children = v.map((e, i) => [String(i), e]);
  else if (v instanceof GoStruct) children = [...v.fields.entries()];
  else if (isMap(v)) {
    if (mapElem(v) === 'anykey' && Object.keys(v).some((k) => memberName(mapKey(v, k)) === undefined)) return { pointer, offset: pos + 2 };
    children = mapElem(v) === 'anykey' ? anyKeyEntries(v) : sortedKeys(v).map((k) => [k, v[k]]);
  } else return undefined;
  const isArray = Array.isArray(v);
  pos++;
  for (const [i, [name, child]] of children.entries()) {
    if (i > 0) pos++;
    if (!isArray) pos += quoteJson(name, html).length + 1;
    const found = locateBadMemberName(child, html, pos, `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found) return found;
    pos += goByteLength(encode(child, '', html, ''));
  }
  return undefined;
}

/** UTF-8 length of the output (lone surrogates are single raw bytes). */
function goByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdcff) n += 1;
    else n += 3;
  }
  return n;
}

function memberName(key: GoValue): string | undefined {
  if (typeof key === 'string') return key;
  // jsontext encodes the key as a value first: an infinite float fails as a value does.
  if (typeof key === 'number') encodeFloat(key);
  const int = intValue(key) ?? (key instanceof GoUint ? key.value : undefined);
  return int === undefined ? undefined : String(int);
}

function encode(v: GoValue, indent: string, html: boolean, prefix: string): string {
  if (v === undefined || v === null || v instanceof GoNilPointer) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteJson(v, html);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return encodeFloat(v);
  }
  if (v instanceof JsonNumber) return v.text === '' ? '0' : v.text;
  if (v instanceof GoUint || v instanceof GoInt64) return v.value.toString();
  if (v instanceof GoChan) throw new Error(`json: unsupported type: ${goTypeName(v)}`);
  const inner = prefix + indent;
  const nl = indent ? '\n' : '';
  const colon = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (isNilSlice(v)) return 'null';
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((e) => (indent ? inner : '') + encode(e, indent, html, inner)).join(',' + nl)}${nl}${indent ? prefix : ''}]`;
  }
  let entries: [string, GoValue][];
  if (v instanceof GoStruct) entries = [...v.fields.entries()];
  else if (isMap(v)) entries = mapElem(v) === 'anykey' ? anyKeyEntries(v) : sortedKeys(v).map((k) => [k, v[k]]);
  else entries = [];
  if (entries.length === 0) return '{}';
  return `{${nl}${entries.map(([k, e]) => (indent ? inner : '') + quoteJson(k, html) + colon + encode(e, indent, html, inner)).join(',' + nl)}${nl}${indent ? prefix : ''}}`;
}

/**
 * A map[interface {}]interface {} as the agent's encoding/json (Go 1.27, on json/v2) writes
 * it: string and integer keys as member names, sorted as strings; other key types fail.
 */
function anyKeyEntries(v: GoMap): [string, GoValue][] {
  const out: [string, GoValue][] = Object.keys(v).map((k) => {
    const name = memberName(mapKey(v, k));
    if (name === undefined) throw MEMBER_NAME;
    return [name, v[k]];
  });
  return out.sort(([a], [b]) => compareGoStrings(a, b));
}

function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  // Go uses the same cut-offs as ECMAScript Number#toString (1e-6, 1e21).
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

const HEX = '0123456789abcdef';
export function quoteJson(s: string, html = true): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 0x0a:
          esc = '\\n';
          break;
        case 0x0d:
          esc = '\\r';
          break;
        case 0x09:
          esc = '\\t';
          break;
        case 0x08:
          esc = '\\b';
          break;
        case 0x0c:
          esc = '\\f';
          break;
        default:
          esc = '\\u00' + HEX[c >> 4]! + HEX[c & 0xf]!;
      }
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (html && (c === 0x3c || c === 0x3e || c === 0x26)) esc = '\\u00' + HEX[c >> 4]! + HEX[c & 0xf]!;
    else if (c === 0x2028 || c === 0x2029) esc = '\\u202' + HEX[c & 0xf]!;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate (a byte that is not UTF-8, see goBytes) is invalid UTF-8 to Go: it becomes U+FFFD.
      const pair = c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        i++;
        continue;
      }
      esc = '\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}
