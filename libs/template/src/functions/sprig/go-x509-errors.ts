/**
 * The error texts Go's crypto/x509 and encoding/asn1 give for malformed keys and
 * certificates (what Sprig's `*WithKey` functions and buildCustomCert print), for the
 * checks that come first: the ASN.1 structure of PKCS#1, SEC 1, PKCS#8 and Sprig's DSA
 * keys (encoding/asn1's Unmarshal, field by field) and the outer layers of a certificate
 * (x509.ParseCertificate's cryptobyte reads up to the issuer). Each returns
 * undefined when Go would get past these checks; Node's parser decides the rest.
 */

type Field = { kind: 'int' | 'bigint' | 'bytes' | 'oid' | 'any' | 'struct'; name: string; optional?: boolean; explicitTag?: number; fields?: Field[] };

const INT: Field = { kind: 'int', name: 'int' };
const BIG: Field = { kind: 'bigint', name: '' };
const OPT_BIG: Field = { ...BIG, optional: true };
const BYTES: Field = { kind: 'bytes', name: '' };
const ALGORITHM: Field = { kind: 'struct', name: 'AlgorithmIdentifier', fields: [{ kind: 'oid', name: 'ObjectIdentifier' }, { kind: 'any', name: 'RawValue', optional: true }] };
const PKCS1: Field = { kind: 'struct', name: 'pkcs1PrivateKey', fields: [INT, BIG, INT, BIG, BIG, BIG, OPT_BIG, OPT_BIG, OPT_BIG] };
const EC: Field = { kind: 'struct', name: 'ecPrivateKey', fields: [INT, BYTES, { kind: 'oid', name: 'ObjectIdentifier', optional: true, explicitTag: 0 }, { kind: 'any', name: 'BitString', optional: true, explicitTag: 1 }] };
const PKCS8: Field = { kind: 'struct', name: 'pkcs8', fields: [INT, ALGORITHM, BYTES] };
const DSA: Field = { kind: 'struct', name: 'DSAKeyFormat', fields: [INT, BIG, BIG, BIG, BIG, BIG] };

const UNIVERSAL_TAG: Record<Field['kind'], number> = { int: 2, bigint: 2, bytes: 4, oid: 6, any: 0, struct: 16 };
const PARAMS = '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

class Asn1Error extends Error {}
const syntax = (msg: string): never => {
  throw new Asn1Error(`asn1: syntax error: ${msg}`);
};
const structure = (msg: string): never => {
  throw new Asn1Error(`asn1: structure error: ${msg}`);
};

interface TagAndLength {
  cls: number;
  tag: number;
  length: number;
  compound: boolean;
}

/** encoding/asn1's parseTagAndLength. */
function parseTagAndLength(b: Uint8Array, at: number): { t: TagAndLength; offset: number } {
  let offset = at;
  let octet = b[offset++]!;
  const t: TagAndLength = { cls: octet >> 6, compound: (octet & 0x20) !== 0, tag: octet & 0x1f, length: 0 };
  if (t.tag === 0x1f) {
    ({ value: t.tag, offset } = parseBase128Int(b, offset));
    if (t.tag < 0x1f) syntax('non-minimal tag');
  }
  if (offset >= b.length) syntax('truncated tag or length');
  octet = b[offset++]!;
  if ((octet & 0x80) === 0) t.length = octet & 0x7f;
  else {
    const count = octet & 0x7f;
    if (count === 0) syntax('indefinite length found (not DER)');
    for (let i = 0; i < count; i++) {
      if (offset >= b.length) syntax('truncated tag or length');
      if (t.length >= 1 << 23) structure('length too large');
      t.length = t.length * 256 + b[offset++]!;
      if (t.length === 0) structure('superfluous leading zeros in length');
    }
    if (t.length < 0x80) structure('non-minimal length');
  }
  return { t, offset };
}

function checkInteger(b: Uint8Array): void {
  if (b.length === 0) structure('empty integer');
  if (b.length > 1 && ((b[0] === 0 && (b[1]! & 0x80) === 0) || (b[0] === 0xff && (b[1]! & 0x80) === 0x80))) structure('integer not minimally-encoded');
}

/** encoding/asn1's parseBase128Int (tag numbers and OID arcs). */
function parseBase128Int(b: Uint8Array, at: number): { value: number; offset: number } {
  let value = 0;
  let offset = at;
  for (let shifted = 0; ; shifted++) {
    if (offset >= b.length) syntax('truncated base 128 integer');
    if (shifted === 5) structure('base 128 integer too large');
    const next = b[offset]!;
    if (shifted === 0 && next === 0x80) syntax('integer is not minimally encoded');
    value = value * 128 + (next & 0x7f);
    offset++;
    if ((next & 0x80) === 0) break;
  }
  if (value > 0x7fffffff) structure('base 128 integer too large');
  return { value, offset };
}

/** A decoded field: INTEGER as bigint, OCTET STRING bytes, OID dotted, ANY as its whole element, SEQUENCE as its fields; absent optional fields undefined. */
type Asn1Value = bigint | Uint8Array | string | Asn1Value[] | undefined;

/** encoding/asn1's parseField for the field kinds the key structures use. */
function parseField(b: Uint8Array, at: number, field: Field): { offset: number; value: Asn1Value } {
  const absent = { offset: at, value: undefined };
  if (at === b.length) {
    if (field.optional) return absent;
    syntax('sequence truncated');
  }
  let { t, offset } = parseTagAndLength(b, at);
  if (field.explicitTag !== undefined) {
    if (offset === b.length) structure('explicit tag has no child');
    if (t.cls === 2 && t.tag === field.explicitTag && (t.length === 0 || t.compound)) {
      // A present explicit field's inner errors print Go pointers; only its absence is handled exactly.
      if (t.length === 0) structure('zero length explicit tag was not an asn1.Flag');
      ({ t, offset } = parseTagAndLength(b, offset));
    } else {
      if (field.optional) return absent;
      structure("explicitly tagged member didn't match");
    }
  }
  if (field.kind === 'any') {
    if (offset + t.length > b.length) syntax('data truncated');
    return { offset: offset + t.length, value: b.subarray(at, offset + t.length) };
  }
  const expected = UNIVERSAL_TAG[field.kind];
  if (t.cls !== 0 || t.tag !== expected || t.compound !== (field.kind === 'struct')) {
    if (field.optional) return absent;
    structure(`tags don't match (${expected} vs {class:${t.cls} tag:${t.tag} length:${t.length} isCompound:${t.compound}}) ${PARAMS} ${field.name} @${offset}`);
  }
  if (offset + t.length > b.length) syntax('data truncated');
  const inner = b.subarray(offset, offset + t.length);
  const end = offset + t.length;
  switch (field.kind) {
    case 'int':
      checkInteger(inner);
      if (inner.length > 8) structure('integer too large');
      return { offset: end, value: signedInteger(inner) };
    case 'bigint':
      checkInteger(inner);
      return { offset: end, value: signedInteger(inner) };
    case 'oid':
      return { offset: end, value: oidString(inner) };
    case 'struct': {
      let innerOffset = 0;
      const values: Asn1Value[] = [];
      for (const f of field.fields ?? []) {
        const parsed = parseField(inner, innerOffset, f);
        innerOffset = parsed.offset;
        values.push(parsed.value);
      }
      return { offset: end, value: values };
    }
    default:
      return { offset: end, value: inner };
  }
}

function signedInteger(b: Uint8Array): bigint {
  const unsigned = BigInt(`0x${Buffer.from(b).toString('hex')}`);
  return (b[0]! & 0x80) !== 0 ? unsigned - (1n << BigInt(b.length * 8)) : unsigned;
}

/** ObjectIdentifier.String() (the first octet's value holds two arcs). */
function oidString(b: Uint8Array): string {
  if (b.length === 0) syntax('zero length OBJECT IDENTIFIER');
  const arcs: number[] = [];
  for (let offset = 0; offset < b.length; ) {
    const parsed = parseBase128Int(b, offset);
    offset = parsed.offset;
    if (arcs.length === 0) arcs.push(parsed.value < 80 ? Math.floor(parsed.value / 40) : 2, parsed.value < 80 ? parsed.value % 40 : parsed.value - 80);
    else arcs.push(parsed.value);
  }
  return arcs.join('.');
}

/** asn1.Unmarshal into the structure: the error text, or the fields and the trailing byte count. */
function unmarshal(der: Uint8Array, shape: Field): { error?: string; rest: number; fields: Asn1Value[] } {
  try {
    const { offset, value } = parseField(der, 0, shape);
    return { rest: der.length - offset, fields: Array.isArray(value) ? value : [value] };
  } catch (err) {
    if (err instanceof Asn1Error) return { error: err.message, rest: 0, fields: [] };
    throw err;
  }
}

const USE = (name: string): string => `x509: failed to parse private key (use ${name} instead for this key format)`;

/** x509.ParsePKCS1PrivateKey's structural errors. */
export function goPkcs1Error(der: Uint8Array): string | undefined {
  const { error, rest, fields } = unmarshal(der, PKCS1);
  if (rest > 0) return 'asn1: syntax error: trailing data';
  if (error !== undefined) {
    if (unmarshal(der, EC).error === undefined) return USE('ParseECPrivateKey');
    if (unmarshal(der, PKCS8).error === undefined) return USE('ParsePKCS8PrivateKey');
    return error;
  }
  const [version, n, , d, p, q, dp, dq, qinv] = fields as (bigint | undefined)[];
  if (version! > 1n) return 'x509: unsupported private key version';
  if ([n, d, p, q].some((v) => v! <= 0n) || [dp, dq, qinv].some((v) => v !== undefined && v <= 0n)) return 'x509: private key contains zero or negative value';
  return undefined;
}

const CURVE_ORDER_BYTES: Record<string, number> = { '1.3.132.0.33': 28, '1.2.840.10045.3.1.7': 32, '1.3.132.0.34': 48, '1.3.132.0.35': 66 };

/** x509.ParseECPrivateKey's structural errors. */
export function goEcError(der: Uint8Array, namedCurve?: string): string | undefined {
  const { error, fields } = unmarshal(der, EC);
  if (error !== undefined) {
    if (unmarshal(der, PKCS8).error === undefined) return USE('ParsePKCS8PrivateKey');
    if (unmarshal(der, PKCS1).error === undefined) return USE('ParsePKCS1PrivateKey');
    return `x509: failed to parse EC private key: ${error}`;
  }
  const [version, key, curve] = fields as [bigint, Uint8Array, string | undefined];
  if (version !== 1n) return `x509: unknown EC private key version ${version}`;
  const orderBytes = CURVE_ORDER_BYTES[namedCurve ?? curve ?? ''];
  if (orderBytes === undefined) return 'x509: unknown elliptic curve';
  if (key.length > orderBytes) return 'x509: invalid private key length';
  return undefined;
}

/** x509.ParsePKCS8PrivateKey's structural errors. */
export function goPkcs8Error(der: Uint8Array): string | undefined {
  const { error, fields } = unmarshal(der, PKCS8);
  if (error !== undefined) {
    if (unmarshal(der, EC).error === undefined) return USE('ParseECPrivateKey');
    if (unmarshal(der, PKCS1).error === undefined) return USE('ParsePKCS1PrivateKey');
    return error;
  }
  const [, [algorithm, parameters], key] = fields as [bigint, [string, Uint8Array | undefined], Uint8Array];
  const embedded = (kind: string, inner: string | undefined): string | undefined => inner && `x509: failed to parse ${kind} private key embedded in PKCS#8: ${inner}`;
  switch (algorithm) {
    case '1.2.840.113549.1.1.1':
      return embedded('RSA', goPkcs1Error(key));
    case '1.2.840.10045.2.1': {
      // The curve named in the algorithm's parameters, when they hold one, overrides the key's.
      const named = parameters && unmarshal(parameters, { kind: 'oid', name: 'ObjectIdentifier' });
      return embedded('EC', goEcError(key, named && named.error === undefined ? (named.fields[0] as string) : undefined));
    }
    case '1.3.101.112': {
      if (parameters && parameters.length !== 0) return 'x509: invalid Ed25519 private key parameters';
      const seed = unmarshal(key, BYTES);
      if (seed.error !== undefined) return `x509: invalid Ed25519 private key: ${seed.error}`;
      const length = (seed.fields[0] as Uint8Array).length;
      return length === 32 ? undefined : `x509: invalid Ed25519 private key length: ${length}`;
    }
    case '1.3.101.110':
      return undefined;
    default:
      return `x509: PKCS#8 wrapping contained private key with unknown algorithm: ${algorithm}`;
  }
}

/** asn1.Unmarshal into Sprig's DSAKeyFormat. */
export function goDsaError(der: Uint8Array): string | undefined {
  return unmarshal(der, DSA).error;
}

/** cryptobyte's readASN1 (with the header): the element's total length, or undefined. */
function readElement(b: Uint8Array, at: number, tag: number | 'any', limit = b.length): { start: number; end: number } | undefined {
  if (limit - at < 2 || (tag !== 'any' && b[at] !== tag) || (b[at]! & 0x1f) === 0x1f) return undefined;
  const lenByte = b[at + 1]!;
  let header = 2;
  let length: number;
  if ((lenByte & 0x80) === 0) length = lenByte;
  else {
    const lenLen = lenByte & 0x7f;
    if (lenLen === 0 || lenLen > 4 || limit - at < 2 + lenLen) return undefined;
    length = 0;
    for (let i = 0; i < lenLen; i++) length = length * 256 + b[at + 2 + i]!;
    if (length < 128 || b[at + 2] === 0) return undefined;
    header += lenLen;
  }
  if (at + header + length > limit) return undefined;
  return { start: at + header, end: at + header + length };
}

/** x509.ParseCertificate's errors up to the issuer (its `x509: trailing data` comes after a full parse: the caller's). */
export function goCertificateError(der: Uint8Array): string | undefined {
  const outer = readElement(der, 0, 0x30);
  if (!outer) return 'x509: malformed certificate';
  const tbs = readElement(der, outer.start, 0x30, outer.end);
  if (!tbs) return 'x509: malformed tbs certificate';
  let at = tbs.start;
  if (at < tbs.end && der[at] === 0xa0) {
    // ReadOptionalASN1Integer: a present [0] must hold exactly one small non-negative INTEGER.
    const version = readElement(der, at, 0xa0, tbs.end);
    const int = version && readElement(der, version.start, 0x02, version.end);
    if (!version || !int || int.end !== version.end) return 'x509: malformed version';
    const body = der.subarray(int.start, int.end);
    if (!minimalInteger(body) || body.length > 8 || (body[0]! & 0x80) !== 0) return 'x509: malformed version';
    if (body.reduce((v, x) => v * 256 + x, 0) + 1 > 3) return 'x509: invalid version';
    at = version.end;
  }
  const serial = readElement(der, at, 0x02, tbs.end);
  if (!serial || !minimalInteger(der.subarray(serial.start, serial.end))) return 'x509: malformed serial number';
  if ((der[serial.start]! & 0x80) !== 0) return 'x509: negative serial number';
  const signature = readElement(der, serial.end, 0x30, tbs.end);
  if (!signature) return 'x509: malformed signature algorithm identifier';
  // The algorithm after the TBS certificate must repeat the one inside it.
  const outerSignature = readElement(der, tbs.end, 0x30, outer.end);
  if (!outerSignature) return 'x509: malformed algorithm identifier';
  if (!Buffer.from(der.subarray(signature.start, signature.end)).equals(der.subarray(outerSignature.start, outerSignature.end))) return "x509: inner and outer signature algorithm identifiers don't match";
  const oid = readElement(der, signature.start, 0x06, signature.end);
  if (!oid || !validOid(der.subarray(oid.start, oid.end))) return 'x509: malformed OID';
  if (oid.end !== signature.end && !readElement(der, oid.end, 'any', signature.end)) return 'x509: malformed parameters';
  if (!readElement(der, signature.end, 0x30, tbs.end)) return 'x509: malformed issuer';
  return undefined;
}

/** cryptobyte's ReadASN1ObjectIdentifier: non-empty, minimal base-128 arcs below 2^31. */
function validOid(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let value = 0;
  let digits = 0;
  for (const octet of b) {
    if (digits === 5 || value >= 1 << 24 || (digits === 0 && octet === 0x80)) return false;
    value = value * 128 + (octet & 0x7f);
    digits++;
    if ((octet & 0x80) === 0) {
      value = 0;
      digits = 0;
    }
  }
  return digits === 0;
}

/** cryptobyte's checkASN1Integer. */
function minimalInteger(b: Uint8Array): boolean {
  return b.length === 1 || (b.length > 1 && !((b[0] === 0 && (b[1]! & 0x80) === 0) || (b[0] === 0xff && (b[1]! & 0x80) === 0x80)));
}

/** The DER's certificate element without what follows it, and whether anything does. */
export function certificateElement(der: Uint8Array): { element: Uint8Array; trailing: boolean } {
  const outer = readElement(der, 0, 0x30);
  return outer ? { element: der.subarray(0, outer.end), trailing: outer.end !== der.length } : { element: der, trailing: false };
}
