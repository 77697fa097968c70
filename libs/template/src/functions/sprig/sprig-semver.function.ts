import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { GoObject, GoUint, type GoValue } from '../../core/go-value';
import { goRegexp, type GoRegexp } from '../go-regexp';

/**
 * Sprig's `semver` and `semverCompare` on a port of Masterminds/semver v3.4.0 (the version
 * `bao` 2.7.2 is built with): coercing NewVersion, the constraint grammar (`||`, commas,
 * hyphen ranges, `~` `^` and x-ranges) and its error texts.
 */
interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const LOOSE = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const re = {
  loose: () => goRegexp(`^${LOOSE}$`),
  constraint: () => goRegexp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`),
  range: () => goRegexp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`),
  find: () => goRegexp(String.raw`(${OPS})\s*(${CV})`),
  valid: () => goRegexp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`),
};

/** FindAllStringSubmatch (n < 0: all): the groups of each match, '' for unset ones. */
function submatches(r: GoRegexp, s: string, n = -1): string[][] {
  return r.findAll(s, n).map((m) => {
    const groups: string[] = [];
    for (let i = 0; i < m.length; i += 2) groups.push(m[i]! < 0 ? '' : s.slice(m[i], m[i + 1]));
    return groups;
  });
}

const MAX_U64 = (1n << 64n) - 1n;
function parseUint(text: string): bigint {
  const v = BigInt(text);
  if (v > MAX_U64) throw new FunctionError(`error parsing version segment: strconv.ParseUint: parsing "${text}": value out of range`);
  return v;
}

const ALLOWED = /^[0-9A-Za-z-]*$/;
function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw new FunctionError('invalid prerelease string');
    if (/^[0-9]+$/.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new FunctionError('version segment starts with 0');
    } else if (!ALLOWED.test(part)) throw new FunctionError('invalid prerelease string');
  }
}
function validateMetadata(m: string): void {
  for (const part of m.split('.')) if (part === '' || !ALLOWED.test(part)) throw new FunctionError('invalid metadata string');
}

/** NewVersion with CoerceNewVersion (the default): the loose grammar. */
function newVersion(v: string): Version {
  const m = submatches(re.loose(), v, 1)[0];
  if (!m) throw new FunctionError('invalid semantic version');
  const sv: Version = { major: parseUint(m[1]!), minor: m[2] ? parseUint(m[2].slice(1)) : 0n, patch: m[3] ? parseUint(m[3].slice(1)) : 0n, pre: m[5]!, metadata: m[8]!, original: v };
  if (sv.pre !== '') validatePrerelease(sv.pre);
  if (sv.metadata !== '') validateMetadata(sv.metadata);
  return sv;
}

function versionString(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const num = (x: string): bigint | undefined => (/^[0-9]+$/.test(x) && BigInt(x) <= MAX_U64 ? BigInt(x) : undefined);
  const [oi, si] = [num(o), num(s)];
  if (oi === undefined && si === undefined) return s > o ? 1 : -1;
  if (oi === undefined) return -1;
  if (si === undefined) return 1;
  return si > oi ? 1 : -1;
}
function comparePrerelease(v: string, o: string): number {
  const [sp, op] = [v.split('.'), o.split('.')];
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}
function compare(v: Version, o: Version): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

interface Constraint {
  con: Version;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';
function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { con: newVersion('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  const m = submatches(re.constraint(), c, 1)[0];
  if (!m) throw new FunctionError(`improper constraint: ${c}`);
  let ver = m[2]!;
  let [minorDirty, patchDirty, dirty] = [false, false, false];
  if (isX(m[3]!) || m[3] === '') {
    ver = `0.0.0${m[6]}`;
    dirty = true;
  } else if (isX(m[4]!.replace(/^\./, '')) || m[4] === '') {
    [minorDirty, dirty] = [true, true];
    ver = `${m[3]}.0.0${m[6]}`;
  } else if (isX(m[5]!.replace(/^\./, '')) || m[5] === '') {
    [patchDirty, dirty] = [true, true];
    ver = `${m[3]}${m[4]}.0${m[6]}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new FunctionError('constraint parser error');
  }
  return { con, orig: m[2]!, op: m[1]!, minorDirty, patchDirty, dirty };
}

/** NewConstraint. */
function newConstraint(text: string): { ors: Constraint[][]; hasPre: boolean[] } {
  let c = text;
  for (const m of submatches(re.range(), text)) c = c.replace(m[0]!, `>= ${m[1]}, <= ${m[11]} `);
  const ors: Constraint[][] = [];
  const hasPre: boolean[] = [];
  for (const v of c.split('||')) {
    if (re.valid().findAll(v, 1).length === 0) throw new FunctionError(`improper constraint: ${v}`);
    const found = submatches(re.find(), v).map((g) => g[0]!);
    const parsed = (found.length > 0 ? found : [v]).map(parseConstraint);
    hasPre.push(parsed.some((p) => p.con.pre !== ''));
    ors.push(parsed);
  }
  return { ors, hasPre };
}

/** The constraint operators (constraintOps), true when v satisfies c. */
function check(v: Version, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const k = c.con;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compare(v, k) === 0;
    case '!=':
      if (c.dirty) {
        if (k.major !== v.major) return true;
        if (k.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (k.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return (v.pre !== '' || k.pre !== '') && comparePrerelease(v.pre, k.pre) !== 0;
      }
      return compare(v, k) !== 0;
    case '>':
      if (!c.dirty) return compare(v, k) === 1;
      if (v.major > k.major) return true;
      if (v.major < k.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > k.minor;
      return compare(v, k) === 1;
    case '<':
      return compare(v, k) < 0;
    case '>=':
    case '=>':
      return compare(v, k) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compare(v, k) <= 0;
      if (v.major > k.major) return false;
      return !(v.major === k.major && v.minor > k.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    default:
      return caret(v, c);
  }
}

function tilde(v: Version, c: Constraint): boolean {
  const k = c.con;
  if (compare(v, k) < 0) return false;
  if (k.major === 0n && k.minor === 0n && k.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== k.major) return false;
  return !(v.minor !== k.minor && !c.minorDirty);
}

function caret(v: Version, c: Constraint): boolean {
  const k = c.con;
  if (compare(v, k) < 0) return false;
  if (k.major > 0n || c.minorDirty) return v.major === k.major;
  if (k.major === 0n && v.major > 0n) return false;
  if (k.minor > 0n || c.patchDirty) return v.minor === k.minor;
  if (k.minor === 0n && v.minor > 0n) return false;
  return k.patch === v.patch;
}

const VERSION_TYPE = 'object:*semver.Version';
const other = (v: GoValue): Version => {
  if (!(v instanceof GoObject)) throw new FunctionError('runtime error: invalid memory address or nil pointer dereference');
  return v.traits.native as Version;
};

/** A *semver.Version (or, from the Inc methods, a semver.Version) as a template value. */
function versionValue(v: Version, pointer = true): GoObject {
  const inc = (next: Omit<Version, 'original'>): GoObject => {
    const withOriginal = { ...next, original: '' };
    withOriginal.original = (v.original.startsWith('v') ? 'v' : '') + versionString(withOriginal);
    return versionValue(withOriginal, false);
  };
  // Original, Compare and the comparisons have pointer receivers: a semver.Version value (IncMajor's result) lacks them.
  const byPointer = {
    Original: fn([], () => v.original),
    Compare: fn([VERSION_TYPE], ([o]) => BigInt(compare(v, other(o ?? null)))),
    LessThan: fn([VERSION_TYPE], ([o]) => compare(v, other(o ?? null)) < 0),
    LessThanEqual: fn([VERSION_TYPE], ([o]) => compare(v, other(o ?? null)) <= 0),
    GreaterThan: fn([VERSION_TYPE], ([o]) => compare(v, other(o ?? null)) > 0),
    GreaterThanEqual: fn([VERSION_TYPE], ([o]) => compare(v, other(o ?? null)) >= 0),
    Equal: fn([VERSION_TYPE], ([o]) => o instanceof GoObject && compare(v, other(o)) === 0),
  };
  return new GoObject(
    pointer ? '*semver.Version' : 'semver.Version',
    {
      ...(pointer ? byPointer : {}),
      Major: fn([], () => new GoUint(v.major)),
      Minor: fn([], () => new GoUint(v.minor)),
      Patch: fn([], () => new GoUint(v.patch)),
      Prerelease: fn([], () => v.pre),
      Metadata: fn([], () => v.metadata),
      String: fn([], () => versionString(v)),
      IncPatch: fn([], () => inc(v.pre !== '' ? { ...v, pre: '', metadata: '' } : { ...v, pre: '', metadata: '', patch: v.patch + 1n })),
      IncMinor: fn([], () => inc({ ...v, pre: '', metadata: '', patch: 0n, minor: v.minor + 1n })),
      IncMajor: fn([], () => inc({ ...v, pre: '', metadata: '', patch: 0n, minor: 0n, major: v.major + 1n })),
    },
    { text: () => versionString(v), native: v, ...(pointer ? {} : { kind: 'struct' as const }) },
  );
}

export const sprigSemverFunctions: FunctionMap = {
  sprig_semver: fn(['string'], ([v]) => versionValue(newVersion(v as string))),
  sprig_semverCompare: fn(['string', 'string'], ([constraint, version]) => {
    const cs = newConstraint(constraint as string);
    const v = newVersion(version as string);
    return cs.ors.some((and, i) => and.every((c) => check(v, c, cs.hasPre[i]!)));
  }),
};
