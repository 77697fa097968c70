import { formatFloatShortest } from './go-format';
import { GoNilPointer, GoStruct, GoUint, JsonNumber, isMap, sortedKeys, type GoValue } from './go-value';
import { doubleQuote, hex } from './double-quote';

/**
 * gopkg.in/yaml.v2 Marshal for the values templates produce: block style, sorted keys,
 * sequences not indented under their key, strings quoted only where yaml.v2 quotes them
 * (double quotes when the plain text would read as another type, single quotes when the
 * emitter refuses plain style, literal blocks for multi-line text).
 */
export function encodeYaml(v: GoValue): string {
  const lines: string[] = [];
  node(v, 0, lines, 'top');
  return lines.join('\n') + '\n';
}

type Ctx = 'top' | 'map' | 'seq';

function node(v: GoValue, indent: number, lines: string[], ctx: Ctx): void {
  // Scalars at top level.
  const pad = ' '.repeat(indent);
  if (isCollection(v)) {
    if (Array.isArray(v)) {
      for (const e of v) {
        if (isCollection(e) && !isEmpty(e)) {
          const sub: string[] = [];
          node(e, indent + 2, sub, 'seq');
          const first = sub[0] ?? '';
          lines.push(`${pad}- ${first.slice(indent + 2)}`, ...sub.slice(1));
        } else {
          lines.push(...inline(`${pad}- `, e, indent + 2));
        }
      }
      return;
    }
    for (const [k, e] of entries(v)) {
      const key = scalar(k, true);
      if (isCollection(e) && !isEmpty(e)) {
        lines.push(`${pad}${key}:`);
        node(e, Array.isArray(e) ? indent : indent + 2, lines, 'map');
      } else {
        lines.push(...inline(`${pad}${key}: `, e, indent + 2));
      }
    }
    return;
  }
  lines.push(...inline(pad, v, indent));
  void ctx;
}

function inline(prefix: string, v: GoValue, indent: number): string[] {
  if (isCollection(v)) return [prefix + (Array.isArray(v) ? '[]' : '{}')];
  if (typeof v === 'string' && v.includes('\n') && blockAllowed(v)) {
    const trailing = /\n+$/.exec(v)?.[0].length ?? 0;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const indicator = /^[ \n]/.test(v) ? '2' : '';
    const body = trailing > 0 ? v.slice(0, v.length - 1) : v;
    const pad = ' '.repeat(Math.max(indent, 2));
    const blockPad = indent === 0 ? '  ' : pad;
    return [`${prefix}|${indicator}${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : blockPad + l))];
  }
  return [prefix + scalar(v, false)];
}

function blockAllowed(s: string): boolean {
  // yaml.v2's analyze_scalar: a space before a break, a trailing space or a special
  // (non-printable, or outside the BMP) character rules out block style.
  return !/ \n| $/.test(s) && !SPECIAL.test(s);
}

/** Characters yaml.v2's emitter does not treat as printable (it only knows 1-3 byte UTF-8). */
const SPECIAL = /[^\n\x20-\x7e\u0085\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/u;

function isCollection(v: GoValue): v is GoValue[] | { [k: string]: GoValue } | GoStruct {
  return Array.isArray(v) || isMap(v) || v instanceof GoStruct;
}
function isEmpty(v: GoValue): boolean {
  return Array.isArray(v) ? v.length === 0 : entries(v).length === 0;
}
function entries(v: GoValue): [string, GoValue][] {
  if (v instanceof GoStruct) return [...v.fields.entries()].map(([k, e]) => [k.toLowerCase(), e]);
  if (isMap(v)) return sortedKeys(v).map((k) => [k, v[k]]);
  return [];
}

function scalar(v: GoValue, isKey: boolean): string {
  if (v === null || v === undefined || v instanceof GoNilPointer) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return yamlFloat(v);
    case 'string':
      return yamlString(v, isKey);
  }
  if (v instanceof GoUint) return v.value.toString();
  if (v instanceof JsonNumber) {
    if (/^-?\d+$/.test(v.text) && BigInt(v.text) <= 9223372036854775807n && BigInt(v.text) >= -9223372036854775808n) return BigInt(v.text).toString();
    const f = Number(v.text);
    if (v.text !== '' && !Number.isNaN(f)) return yamlFloat(f);
    return yamlString(v.text, isKey);
  }
  return 'null';
}

function yamlFloat(f: number): string {
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (Number.isNaN(f)) return '.nan';
  return formatFloatShortest(f);
}

/** What yaml.v2's resolver would read plain text as (not a string means it must be quoted). */
function resolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return true;
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(s)) return true;
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(s) || /^(\.nan|\.NaN|\.NAN)$/.test(s)) return true;
  if (/^[-+]?(0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/.test(s)) return true;
  if (/^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$/.test(s)) return true;
  if (/^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$/.test(s) && /[0-9]/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(\.[0-9_]*)?[eE][-+]?[0-9]+$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$/.test(s)) return true;
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(s)) return true;
  if (s === '<<') return true;
  return false;
}

/** Plain style in block context, per yaml.v2's analyze_scalar (flow indicators do not matter there). */
function plainAllowed(s: string): boolean {
  if (s.length === 0) return false;
  if (/^(---|\.\.\.)/.test(s)) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/[\n\r\t]/.test(s)) return false;
  if (SPECIAL.test(s)) return false;
  const first = s[0]!;
  const followedBySpace = (i: number): boolean => i + 1 >= s.length || s[i + 1] === ' ';
  if ('#,[]{}&*!|>\'"%@`'.includes(first)) return false;
  if ((first === '?' || first === ':' || first === '-') && followedBySpace(0)) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === ':' && followedBySpace(i)) return false;
    if (c === '#' && s[i - 1] === ' ') return false;
  }
  return true;
}

function yamlString(s: string, isKey: boolean): string {
  if (resolvesToNonString(s)) return doubleQuoted(s);
  if (s.includes('\n') && !isKey) return doubleQuoted(s);
  if (plainAllowed(s)) return s;
  if (/[\n\r\t]/.test(s) || SPECIAL.test(s)) return doubleQuoted(s);
  return `'${s.replace(/'/g, "''")}'`;
}

const YAML_ESCAPES = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\n', '\\n'],
  ['\t', '\\t'],
  ['\r', '\\r'],
  ['\0', '\\0'],
]);

function doubleQuoted(s: string): string {
  return doubleQuote(s, YAML_ESCAPES, (c) => {
    if (c < 0x20 || c === 0x7f) return `\\x${hex(c, 2, true)}`;
    if (c === 0xfeff) return '\\uFEFF';
    return c > 0xffff ? `\\U${hex(c, 8, true)}` : undefined;
  });
}
