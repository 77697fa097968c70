/** A minimal DER writer: just what an X.509 certificate built like Go's CreateCertificate needs. */

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, ...parts);
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const NULL = Buffer.from([0x05, 0x00]);
/** BIT STRING with `unused` trailing bits. */
export const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.from([unused]), b);
/** Context-specific tag [n], constructed unless `primitive`. */
export const ctx = (n: number, body: Buffer, primitive = false): Buffer => tlv((primitive ? 0x80 : 0xa0) | n, body);

/** INTEGER of a non-negative or negative bigint, minimal two's complement. */
export function int(v: bigint): Buffer {
  let hex = (v < 0n ? -v : v).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if (v < 0n) {
    // two's complement of the magnitude
    const n = BigInt.asUintN(b.length * 8, v);
    b = Buffer.from(n.toString(16).padStart(b.length * 2, '0'), 'hex');
    if ((b[0]! & 0x80) === 0) b = Buffer.concat([Buffer.from([0xff]), b]);
  } else if (b.length === 0 || (b[0]! & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A string as Go's asn1 marshals it in a Name: PrintableString when it can be, else UTF8String. */
export function nameString(s: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? tlv(0x13, Buffer.from(s, 'latin1')) : tlv(0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280), to the second. */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(p(y % 100) + rest)) : tlv(0x18, Buffer.from(String(y).padStart(4, '0') + rest));
}

/** Reads one DER element at `at`: tag, the body's bounds and where the element ends. */
export function readTlv(b: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}
