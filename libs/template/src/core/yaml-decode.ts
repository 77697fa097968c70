import { isAlias, isMap as isYamlMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type YAMLError } from 'yaml';
import { goSyntax } from './go-format';
import { checkYamlV2 } from './yaml-libyaml';
import { goBase64Decode } from '../functions/go-base64';
import { GoUint, goBytes, goStringFromBytes, isMap, mapKey, setAnyKey, typedMap, type GoMap, type GoValue } from './go-value';

/**
 * yaml.v2 Unmarshal into interface{}: the `yaml` package parses, and plain scalars are
 * resolved with yaml.v2's own rules (resolve.go): YAML 1.1 booleans and nulls, Go's
 * ParseInt with base prefixes (0o17 is 15), uint64 and then float64 past int64, no
 * sexagesimal numbers (1:30 stays a string), timestamps kept as their text. Mappings are
 * map[interface {}]interface {}, keys keeping their Go types (an int key is not a string key).
 */
export function decodeYaml(text: string): GoValue {
  // yaml.v2's own syntax checks first, so a malformed document fails with its text and line.
  const firstDocument = checkYamlV2(text);
  // yaml.v2's Unmarshal reads the first document only: what follows it is not even parsed.
  // Tags are resolved here, as yaml.v2 resolves them (resolveKnownTags: false keeps their text).
  const docs = parseAllDocuments(firstDocument, { schema: 'failsafe', uniqueKeys: false, strict: false, resolveKnownTags: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return null;
  if (doc.errors.length > 0) throw new Error(libyamlError(doc.errors[0]!, text));
  return convert(doc.contents as YamlNode | null, doc, new Set());
}

/**
 * libyaml's text for the scanner errors the `yaml` package also finds; others keep the
 * `yaml` package's text (README). yaml.v2 prefixes `line N: ` (1-based) unless the
 * problem is on the first line.
 */
function libyamlError(e: YAMLError, text: string): string {
  const where = (line: number): string => (line > 1 ? `line ${line}: ` : '');
  const line = e.linePos?.[0].line ?? 1;
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `yaml: ${where(line)}mapping values are not allowed in this context`;
    case 'TAB_AS_INDENT':
      return `yaml: ${where(line)}found character that cannot start any token`;
    case 'BAD_DQ_ESCAPE':
      return `yaml: ${where(line)}found unknown escape character`;
    case 'MISSING_CHAR':
      // An unterminated quoted scalar runs to the end of the input.
      if (/quote/.test(e.message)) return `yaml: ${where(text.split('\n').length)}found unexpected end of stream`;
      break;
  }
  return `yaml: ${e.message.split('\n')[0]}`;
}

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{1,2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** resolve("", plain): the Go value yaml.v2 gives plain text. */
export function resolvePlain(s: string): GoValue {
  if (NULLS.has(s)) return null;
  if (BOOL_TRUE.has(s)) return true;
  if (BOOL_FALSE.has(s)) return false;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  if (/^\+?\.(inf|Inf|INF)$/.test(s)) return Infinity;
  if (/^-\.(inf|Inf|INF)$/.test(s)) return -Infinity;
  const c = s.charAt(0);
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : s;
  if (!/[-+0-9]/.test(c)) return s;
  if (TIMESTAMP.test(s)) return s;
  const plain = s.replace(/_/g, '');
  const int = parseGoIntBase0(plain);
  if (int !== undefined) {
    if (int >= -(2n ** 63n) && int < 2n ** 63n) return int;
    if (int >= 0n && int < 2n ** 64n && !/^[+-]/.test(plain)) return new GoUint(int);
  }
  if (YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return s;
}

/** strconv.ParseInt(s, 0, 64)'s syntax (range checked by the caller). */
function parseGoIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  return m[1] === '-' ? -v : v;
}

/** `resolving`: the aliases being expanded (yaml.v2 refuses one met again inside its own value). */
function convert(node: YamlNode | null, doc: Document, resolving: Set<YamlNode>): GoValue {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (target === undefined) throw new Error(`yaml: unknown anchor '${node.source}' referenced`);
    if (resolving.has(node)) throw new Error(`yaml: anchor '${node.source}' value contains itself`);
    resolving.add(node);
    try {
      return convert(target as YamlNode | null, doc, resolving);
    } finally {
      resolving.delete(node);
    }
  }
  if (isScalar(node)) {
    const text = String(node.value ?? '');
    if (node.tag) return resolveTagged(node.tag, text);
    return node.type === 'PLAIN' ? resolvePlain(text) : text;
  }
  if (isSeq(node)) return node.items.map((item) => convert(item as YamlNode | null, doc, resolving));
  if (isYamlMap(node)) {
    const out: GoMap = typedMap({}, 'anykey');
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag && keyNode.value === '<<') {
        merge(out, pair.value as YamlNode | null, doc, resolving);
        continue;
      }
      const key = convert(keyNode, doc, resolving);
      if (Array.isArray(key) || isMap(key)) throw new Error(`yaml: invalid map key: ${goSyntax(key)}`);
      setAnyKey(out, key, convert(pair.value as YamlNode | null, doc, resolving));
    }
    return out;
  }
  return null;
}

/**
 * yaml.v2's merge key: the mapping's (or each listed mapping's, the last first so earlier
 * ones win) keys are set where the `<<` stands, over keys set before it.
 */
function merge(out: GoMap, node: YamlNode | null, doc: Document, resolving: Set<YamlNode>): void {
  const isMapping = (n: YamlNode | null): boolean => {
    const target = n && isAlias(n) ? (n.resolve(doc) as YamlNode | undefined) : n;
    // An unknown alias fails in convert with its own text.
    return (n !== null && isAlias(n) && target === undefined) || isYamlMap(target);
  };
  const sources = node && isSeq(node) ? [...(node.items as (YamlNode | null)[])].reverse() : [node];
  for (const source of sources) {
    if (!isMapping(source)) throw new Error('yaml: map merge requires map or sequence of maps as the value');
    const value = convert(source, doc, resolving) as GoMap;
    for (const k of Object.keys(value)) setAnyKey(out, mapKey(value, k), value[k]);
  }
}

const YAML_TAG = 'tag:yaml.org,2002:';
const RESOLVABLE = new Set(['!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);

/** yaml.v2's resolve(tag, in) for an explicitly tagged scalar, and !!binary's base64. */
function resolveTagged(tag: string, text: string): GoValue {
  const short = tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
  if (short === '!!binary') {
    try {
      return goStringFromBytes(goBase64Decode(goBytes(text), 'std'));
    } catch {
      throw new Error('yaml: !!binary value contains invalid base64 data');
    }
  }
  if (!RESOLVABLE.has(short) || short === '!!str') return text;
  const value = resolvePlain(text);
  const resolved =
    value === null ? '!!null' : typeof value === 'boolean' ? '!!bool' : typeof value === 'bigint' || value instanceof GoUint ? '!!int' : typeof value === 'number' ? '!!float' : short === '!!timestamp' && TIMESTAMP.test(text) ? '!!timestamp' : '!!str';
  if (resolved === short) return value;
  if (short === '!!float' && typeof value === 'bigint') return Number(value);
  throw new Error(`yaml: cannot decode ${resolved} \`${text}\` as a ${short}`);
}
