import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { formatV } from '../../core/go-format';
import { GoStruct, goBytes, goStringFromBytes, type GoValue } from '../../core/go-value';
import { goBase64Decode } from '../go-base64';
import { NULL, bits, bool, ctx, int, nameString, octets, oid, readTlv, seq, set, time, tlv } from './der';
import { certificateElement, goCertificateError, goDsaError, goEcError, goPkcs1Error, goPkcs8Error } from './go-x509-errors';

/**
 * Sprig's key and certificate generators (genPrivateKey, genCA, genSelfSignedCert,
 * genSignedCert, their WithKey forms, buildCustomCert), built as Go's x509.CreateCertificate
 * builds them: v3, 128-bit random serial, KeyUsage / ExtKeyUsage / BasicConstraints, the
 * RFC 7093 SubjectKeyId of a CA (Go 1.25+), AuthorityKeyId, DNS and IP SANs, RSA 2048 keys.
 * Keys and certificates are random: conformance checks their structure, not their bytes.
 */

const CERT_TYPE = 'object:sprig.certificate';

function pem(type: string, der: Buffer): string {
  return `-----BEGIN ${type}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${type}-----\n`;
}

/** pem.Decode: the first block in the text. */
function pemDecode(text: string): { type: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  try {
    return { type: m[1]!, der: goBase64Decode(Buffer.from(m[2]!.replace(/[ \t]/g, '')), 'std') };
  } catch {
    return undefined;
  }
}

/** DSA PRIVATE KEY in Sprig's layout (version, P, Q, G, Y, X), from the PKCS#8 form OpenSSL gives. */
function dsaPem(key: KeyObject): string {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const top = readTlv(der, 0);
  const version = readTlv(der, top.start);
  const alg = readTlv(der, version.end);
  const algOid = readTlv(der, alg.start);
  const params = readTlv(der, algOid.end);
  const ints: bigint[] = [];
  for (let at = params.start; at < params.end; ) {
    const e = readTlv(der, at);
    ints.push(BigInt('0x' + (der.subarray(e.start, e.end).toString('hex') || '0')));
    at = e.end;
  }
  const privOctets = readTlv(der, alg.end);
  const xTlv = readTlv(der, privOctets.start);
  const x = BigInt('0x' + der.subarray(xTlv.start, xTlv.end).toString('hex'));
  const [p, q, g] = ints as [bigint, bigint, bigint];
  return pem('DSA PRIVATE KEY', seq(int(0n), int(p), int(q), int(g), int(modPow(g, x, p)), int(x)));
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

/** pemBlockForKey. */
function keyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }) as string;
    case 'dsa':
      return dsaPem(key);
    default:
      return key.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

function generatePrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return keyPem(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey);
    case 'dsa':
      return keyPem(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey);
    case 'ecdsa':
      return keyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'ed25519':
      return keyPem(generateKeyPairSync('ed25519').privateKey);
    default:
      return `Unknown type ${type}`;
  }
}

/**
 * parsePrivateKeyPEM: Go's structural checks first (go-x509-errors.ts) so their texts are
 * Go's; a key that passes them and that Node still refuses fails with Node's text.
 */
function parsePrivateKey(text: string): KeyObject {
  const block = pemDecode(text);
  if (!block) throw new Error('no PEM data in input');
  const parse = (type: 'pkcs8' | 'pkcs1' | 'sec1', what: string, goError: (der: Uint8Array) => string | undefined): KeyObject => {
    const go = goError(block.der);
    if (go !== undefined) throw new Error(`${what}: ${go}`);
    try {
      return createPrivateKey({ key: block.der, format: 'der', type });
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  };
  if (block.type === 'PRIVATE KEY') return parse('pkcs8', 'decoding PEM as PKCS#8', goPkcs8Error);
  if (!block.type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA':
      return parse('pkcs1', 'parsing RSA private key from PEM', goPkcs1Error);
    case 'EC':
      return parse('sec1', 'parsing EC private key from PEM', goEcError);
    case 'DSA': {
      const go = goDsaError(block.der);
      if (go !== undefined) throw new Error(`parsing DSA private key from PEM: ${go}`);
      try {
        return createPrivateKey(pem('DSA PRIVATE KEY', block.der));
      } catch (err) {
        throw new Error(`parsing DSA private key from PEM: ${(err as Error).message}`);
      }
    }
    default:
      throw new Error(`invalid private key type ${block.type}`);
  }
}

/** x509.ParseCertificate: Go's texts for the outer layers, Node's parser for the rest, Go's trailing-data rule. */
function parseCertificate(der: Buffer): void {
  const go = goCertificateError(der);
  if (go !== undefined) throw new Error(go);
  const { element, trailing } = certificateElement(der);
  new X509Certificate(Buffer.from(element));
  if (trailing) throw new Error('x509: trailing data');
}

/** net.ParseIP as the bytes Go writes into a SAN: 4 for IPv4 (and IPv4-mapped), else 16. */
function ipBytes(v: GoValue): Buffer {
  if (typeof v !== 'string') throw new FunctionError(`error parsing ip: ${formatV(v)} is not a string`);
  const kind = isIP(v);
  if (kind === 4) return Buffer.from(v.split('.').map(Number));
  if (kind !== 6 || v.includes('%')) throw new FunctionError(`error parsing ip: ${v}`);
  let text = v;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) text = text.slice(0, -v4[1]!.length) + v4[1]!.split('.').map((n, i, a) => (i % 2 ? '' : ((Number(n) << 8) | Number(a[i + 1])).toString(16))).filter(Boolean).join(':');
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.from(all.map((g) => g.padStart(4, '0')).join(''), 'hex');
  return out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff ? out.subarray(12) : out;
}

function dnsNames(list: GoValue): string[] {
  return ((list as GoValue[] | null) ?? []).map((d) => {
    if (typeof d !== 'string') throw new FunctionError(`error processing alternate dns name: ${formatV(d)} is not a string`);
    return d;
  });
}

const EXT = (id: string, value: Buffer, critical = false): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** The signature algorithm Go picks for a signing key, and how Node signs with it. */
function signer(key: KeyObject): { alg: Buffer; sign: (tbs: Buffer) => Buffer } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), NULL), sign: (tbs) => sign('sha256', tbs, key) };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const [hash, id] = curve === 'secp384r1' ? ['sha384', '1.2.840.10045.4.3.3'] : curve === 'secp521r1' ? ['sha512', '1.2.840.10045.4.3.4'] : ['sha256', '1.2.840.10045.4.3.2'];
      return { alg: seq(oid(id)), sign: (tbs) => sign(hash, tbs, key) };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), sign: (tbs) => sign(null, tbs, key) };
    default:
      throw new FunctionError('error creating certificate: x509: certificate private key does not implement crypto.Signer');
  }
}

interface Parent {
  subject: Buffer;
  skid?: Buffer;
}

/** The raw subject Name and SubjectKeyId of a DER certificate. */
function parentOf(der: Buffer): Parent {
  const cert = readTlv(der, 0);
  const tbs = readTlv(der, cert.start);
  let at = tbs.start;
  const fields: { start: number; end: number; tag: number; at: number }[] = [];
  while (at < tbs.end) {
    const e = readTlv(der, at);
    fields.push({ ...e, at });
    at = e.end;
  }
  const offset = fields[0]!.tag === 0xa0 ? 1 : 0; // [0] version is optional
  const subject = fields[offset + 4]!;
  const skidAt = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]), tbs.start);
  let skid: Buffer | undefined;
  if (skidAt >= 0 && skidAt < tbs.end) {
    let e = readTlv(der, skidAt + 5);
    if (e.tag === 0x01) e = readTlv(der, e.end);
    const inner = readTlv(der, e.start);
    skid = der.subarray(inner.start, inner.end);
  }
  return { subject: der.subarray(subject.at, subject.end), ...(skid ? { skid } : {}) };
}

interface CertRequest {
  cn: string;
  ips: Buffer[];
  dns: string[];
  days: bigint;
  isCA: boolean;
  key: KeyObject;
  parent?: Parent;
  parentKey?: KeyObject;
}

function createCertificate(r: CertRequest): string {
  const signingKey = r.parentKey ?? r.key;
  const { alg, sign: signTbs } = signer(signingKey);
  if (r.key.asymmetricKeyType === 'dsa') throw new FunctionError('error creating certificate: x509: unsupported public key type: *dsa.PublicKey');
  const spki = createPublicKey(r.key).export({ type: 'spki', format: 'der' });
  const subject = r.cn === '' ? seq() : seq(set(seq(oid('2.5.4.3'), nameString(r.cn))));
  const issuer = r.parent?.subject ?? subject;
  const now = new Date();
  const notAfter = new Date(now.getTime() + Number(r.days) * 86_400_000);
  const spkiTop = readTlv(spki, 0);
  const bitString = readTlv(spki, readTlv(spki, spkiTop.start).end);
  const publicKeyBytes = spki.subarray(bitString.start + 1, bitString.end);
  const skid = r.isCA ? createHash('sha256').update(publicKeyBytes).digest().subarray(0, 20) : undefined;
  const akid = !issuer.equals(subject) && r.parent?.skid ? r.parent.skid : undefined;
  const exts = [
    EXT('2.5.29.15', r.isCA ? bits(Buffer.from([0xa4]), 2) : bits(Buffer.from([0xa0]), 5), true),
    EXT('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    EXT('2.5.29.19', r.isCA ? seq(bool(true)) : seq(), true),
    ...(skid ? [EXT('2.5.29.14', octets(skid))] : []),
    ...(akid ? [EXT('2.5.29.35', seq(ctx(0, akid, true)))] : []),
    ...(r.dns.length + r.ips.length > 0 ? [EXT('2.5.29.17', seq(...r.dns.map((d) => tlv(0x82, Buffer.from(d, 'utf8'))), ...r.ips.map((ip) => tlv(0x87, ip))))] : []),
  ];
  const serial = BigInt('0x' + randomBytes(16).toString('hex'));
  const tbs = seq(ctx(0, int(2n)), int(serial), alg, issuer, seq(time(now), time(notAfter)), subject, spki, ctx(3, seq(...exts)));
  return pem('CERTIFICATE', seq(tbs, alg, bits(signTbs(tbs))));
}

function certificate(cert: string, key: string): GoStruct {
  return new GoStruct(
    'sprig.certificate',
    new Map<string, GoValue>([
      ['Cert', cert],
      ['Key', key],
    ]),
    false,
  );
}

const rsa2048 = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const withKey = (text: string): KeyObject => {
  try {
    return parsePrivateKey(text);
  } catch (err) {
    throw new FunctionError(`parsing private key: ${(err as Error).message}`);
  }
};
const str = (v: GoValue): string => v as string;

function issue(cn: GoValue, ips: GoValue, dns: GoValue, days: GoValue, key: KeyObject, ca?: GoValue): GoStruct {
  const request: CertRequest = { cn: str(cn), ips: ((ips as GoValue[] | null) ?? []).map(ipBytes), dns: dnsNames(dns), days: days as bigint, isCA: false, key };
  if (ca !== undefined) {
    const fields = (ca as GoStruct).fields;
    const block = pemDecode(str(fields.get('Cert') ?? ''));
    if (!block) throw new FunctionError('unable to decode certificate');
    try {
      parseCertificate(block.der);
    } catch (err) {
      throw new FunctionError(`error parsing certificate: decodedSignerCert.Bytes: ${(err as Error).message}`);
    }
    let parentKey: KeyObject;
    try {
      parentKey = parsePrivateKey(str(fields.get('Key') ?? ''));
    } catch (err) {
      throw new FunctionError(`error parsing private key: ${(err as Error).message}`);
    }
    Object.assign(request, { parent: parentOf(block.der), parentKey });
  }
  return certificate(createCertificate(request), keyPem(key));
}

function buildCustomCert(b64cert: string, b64key: string): GoStruct {
  const decode = (text: string, what: string): Buffer => {
    try {
      return goBase64Decode(goBytes(text), 'std');
    } catch {
      throw new FunctionError(`unable to decode base64 ${what}`);
    }
  };
  const cert = decode(b64cert, 'certificate');
  const key = decode(b64key, 'private key');
  const block = pemDecode(cert.toString('latin1'));
  if (!block) throw new FunctionError('unable to decode certificate');
  try {
    parseCertificate(block.der);
  } catch (err) {
    throw new FunctionError(`error parsing certificate: decodedCert.Bytes: ${(err as Error).message}`);
  }
  try {
    parsePrivateKey(key.toString('latin1'));
  } catch (err) {
    throw new FunctionError(`error parsing private key: ${(err as Error).message}`);
  }
  return certificate(goStringFromBytes(cert), goStringFromBytes(key));
}

const caCert = (cn: GoValue, days: GoValue, key: KeyObject): GoStruct =>
  certificate(createCertificate({ cn: str(cn), ips: [], dns: [], days: days as bigint, isCA: true, key }), keyPem(key));

export const sprigCertFunctions: FunctionMap = {
  sprig_genPrivateKey: fn(['string'], ([type]) => generatePrivateKey(str(type))),
  sprig_buildCustomCert: fn(['string', 'string'], ([c, k]) => buildCustomCert(str(c), str(k))),
  sprig_genCA: fn(['string', 'int'], ([cn, days]) => caCert(cn ?? '', days ?? 0n, rsa2048())),
  sprig_genCAWithKey: fn(['string', 'int', 'string'], ([cn, days, key]) => caCert(cn ?? '', days ?? 0n, withKey(str(key)))),
  sprig_genSelfSignedCert: fn(['string', 'interfaceSlice', 'interfaceSlice', 'int'], ([cn, ips, dns, days]) => issue(cn ?? '', ips ?? null, dns ?? null, days ?? 0n, rsa2048())),
  sprig_genSelfSignedCertWithKey: fn(['string', 'interfaceSlice', 'interfaceSlice', 'int', 'string'], ([cn, ips, dns, days, key]) => issue(cn ?? '', ips ?? null, dns ?? null, days ?? 0n, withKey(str(key)))),
  sprig_genSignedCert: fn(['string', 'interfaceSlice', 'interfaceSlice', 'int', CERT_TYPE], ([cn, ips, dns, days, ca]) => issue(cn ?? '', ips ?? null, dns ?? null, days ?? 0n, rsa2048(), ca ?? null)),
  sprig_genSignedCertWithKey: fn(['string', 'interfaceSlice', 'interfaceSlice', 'int', CERT_TYPE, 'string'], ([cn, ips, dns, days, ca, key]) => issue(cn ?? '', ips ?? null, dns ?? null, days ?? 0n, withKey(str(key)), ca ?? null)),
};
