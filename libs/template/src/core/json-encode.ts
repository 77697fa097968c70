import { GoChan, GoInt64, compareGoStrings, goTypeName, intValue, mapElem, mapKey, GoNilPointer, GoStruct, GoUint, JsonNumber, isMap, isNilSlice, sortedKeys, type GoMap, type GoValue } from './go-value';

/** encoding/json.Marshal / MarshalIndent of Go values, byte-compatible with Go's output. */
export function encodeJson(v: GoValue, options: { indent?: string; escapeHtml?: boolean } = {}): string {
  return encode(v, options.indent ?? '', options.escapeHtml ?? true, '');
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
    const key = mapKey(v, k);
    const int = intValue(key) ?? (key instanceof GoUint ? key.value : undefined);
    if (typeof key !== 'string' && int === undefined) throw new Error('json: unsupported value: jsontext: object member name must be a string');
    return [typeof key === 'string' ? key : String(int), v[k]];
  });
  return out.sort(([a], [b]) => compareGoStrings(a, b));
}

function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${f}`);
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
