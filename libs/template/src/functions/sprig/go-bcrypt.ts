import { randomBytes } from 'node:crypto';

/**
 * golang.org/x/crypto/bcrypt over raw bytes (bcryptjs only takes JavaScript strings and
 * hashes their UTF-8, so a password holding bytes that are not UTF-8 could not match Go).
 * Blowfish's initial P-array and S-boxes are the hexadecimal digits of pi, computed once.
 */

/** bcrypt.GenerateFromPassword(password, cost) with a fresh salt: `$2a$<cost>$<salt><hash>`. */
export function bcryptHash(password: Uint8Array, cost = 10, salt: Uint8Array = randomBytes(16)): string {
  if (password.length > 72) throw new Error('bcrypt: password length exceeds 72 bytes');
  const state = expensiveBlowfishSetup(password, cost, salt);
  const data = new Uint32Array(6);
  const magic = Buffer.from('OrpheanBeholderScryDoubt');
  for (let i = 0; i < 6; i++) data[i] = magic.readUInt32BE(i * 4);
  for (let i = 0; i < 6; i += 2) {
    let l = data[i]!;
    let r = data[i + 1]!;
    for (let j = 0; j < 64; j++) [l, r] = encryptBlock(l, r, state);
    data[i] = l;
    data[i + 1] = r;
  }
  const cipher = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) cipher.writeUInt32BE(data[i]!, i * 4);
  // Go (like C bcrypt) encodes 23 of the 24 bytes.
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(cipher.subarray(0, 23))}`;
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Base64 with bcrypt's alphabet and no padding. */
function bcryptBase64(bytes: Uint8Array): string {
  const std = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  const from = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (const c of std) out += ALPHABET[from.indexOf(c)]!;
  return out;
}

interface Blowfish {
  p: Uint32Array;
  s: Uint32Array; // s0..s3, 256 words each
}

function expensiveBlowfishSetup(password: Uint8Array, cost: number, salt: Uint8Array): Blowfish {
  // C bcrypt's trailing NUL takes part in the key.
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const digits = piWords();
  const state: Blowfish = { p: digits.slice(0, 18), s: digits.slice(18, 18 + 1024) };
  expandKey(key, state, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    expandKey(key, state);
    expandKey(salt, state);
  }
  return state;
}

/** Blowfish's key schedule (with the salt: bcrypt's expandKeyWithSalt). */
function expandKey(key: Uint8Array, c: Blowfish, salt?: Uint8Array): void {
  const k = { pos: 0 };
  for (let i = 0; i < 18; i++) c.p[i] = (c.p[i]! ^ nextWord(key, k)) >>> 0;
  const s = { pos: 0 };
  let l = 0;
  let r = 0;
  const fill = (box: Uint32Array, n: number, offset: number): void => {
    for (let i = 0; i < n; i += 2) {
      if (salt) {
        l = (l ^ nextWord(salt, s)) >>> 0;
        r = (r ^ nextWord(salt, s)) >>> 0;
      }
      [l, r] = encryptBlock(l, r, c);
      box[offset + i] = l;
      box[offset + i + 1] = r;
    }
  };
  fill(c.p, 18, 0);
  fill(c.s, 1024, 0);
}

/** The next big-endian word of the key read cyclically. */
function nextWord(b: Uint8Array, at: { pos: number }): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = ((w << 8) | b[at.pos]!) >>> 0;
    at.pos = (at.pos + 1) % b.length;
  }
  return w;
}

function encryptBlock(l: number, r: number, c: Blowfish): [number, number] {
  const { p, s } = c;
  const f = (x: number): number => ((((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]!) + s[768 + (x & 0xff)]!) >>> 0;
  let xl = (l ^ p[0]!) >>> 0;
  let xr = r;
  for (let i = 1; i <= 16; i += 2) {
    xr = (xr ^ f(xl) ^ p[i]!) >>> 0;
    xl = (xl ^ f(xr) ^ p[i + 1]!) >>> 0;
  }
  xr = (xr ^ p[17]!) >>> 0;
  return [xr, xl];
}

let PI_WORDS: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fractional part in hexadecimal (Blowfish's P and S). */
function piWords(): Uint32Array {
  if (!PI_WORDS) {
    const words = 18 + 1024;
    const guard = 64n;
    const bits = BigInt(words * 32) + guard;
    const one = 1n << bits;
    const atanInv = (x: bigint): bigint => {
      let term = one / x;
      let sum = term;
      const x2 = x * x;
      for (let k = 1n; term !== 0n; k++) {
        term /= x2;
        sum += (k % 2n === 1n ? -term : term) / (2n * k + 1n);
      }
      return sum;
    };
    // Machin: pi = 16 atan(1/5) - 4 atan(1/239).
    const fraction = (16n * atanInv(5n) - 4n * atanInv(239n) - 3n * one) >> guard;
    PI_WORDS = new Uint32Array(words);
    for (let i = 0; i < words; i++) PI_WORDS[i] = Number((fraction >> BigInt((words - 1 - i) * 32)) & 0xffffffffn);
  }
  return PI_WORDS.slice();
}
