import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, randomUUID, scryptSync } from 'node:crypto';
import { FunctionError, fn, type FunctionMap } from '../../core/function-def';
import { goBytes, goStringFromBytes, type GoValue } from '../../core/go-value';
import { goBase64Decode } from '../go-base64';
import { bcryptHash } from './go-bcrypt';

/**
 * Sprig's random strings (goutils' CryptoRandom*), uuidv4, randBytes, randInt, shuffle,
 * derivePassword (Master Password: scrypt then HMAC-SHA256) and encryptAES / decryptAES
 * (AES-256-CBC, key zero-padded to 32 bytes, random IV in front, PKCS#7 padding).
 */

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** A random string of `count` characters from `chars`; goutils gives "" (an error sprig drops) for count <= 0. */
function randomString(count: GoValue, chars: string): string {
  const n = Number(count as bigint);
  let out = '';
  for (let i = 0; i < n; i++) out += chars[randomInt(chars.length)];
  return out;
}

/** The 64-bit Go int a template passes, as a JavaScript number for sizes. */
const size = (v: GoValue): number => Number(v as bigint);

const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};
const SEED = Buffer.from('com.lyndir.masterpassword');
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

function derivePassword(counter: bigint, type: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userBytes = goBytes(user);
  const siteBytes = goBytes(site);
  const key = scryptSync(goBytes(password), Buffer.concat([SEED, u32(userBytes.length), userBytes]), 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 1024 * 1024 });
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([SEED, u32(siteBytes.length), siteBytes, u32(Number(counter))]))
    .digest();
  const template = templates[seed[0]! % templates.length]!;
  return [...template].map((c, i) => TEMPLATE_CHARS[c]![seed[i + 1]! % TEMPLATE_CHARS[c]!.length]).join('');
}

const aesKey = (password: string): Buffer => {
  const key = Buffer.alloc(32);
  goBytes(password).copy(key, 0, 0, 32);
  return key;
};

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = goBytes(plaintext);
  const padding = 16 - (content.length % 16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  const body = Buffer.concat([cipher.update(Buffer.concat([content, Buffer.alloc(padding, padding)])), cipher.final()]);
  return Buffer.concat([iv, body]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = strictBase64(crypt64);
  // The capacity Go reports is DecodedLen of the text (3 bytes per 4 characters), not the decoded length.
  if (crypt.length < 16) throw new FunctionError(`runtime error: slice bounds out of range [:16] with capacity ${Math.floor(goBytes(crypt64).length / 4) * 3}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new FunctionError('crypto/cipher: input not full blocks');
  // Go panics on an empty body (index -1) and never checks the padding it strips.
  if (body.length === 0) throw new FunctionError('runtime error: index out of range [-1]');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  const end = decrypted.length - decrypted[decrypted.length - 1]!;
  if (end < 0) throw new FunctionError(`runtime error: slice bounds out of range [:${end}]`);
  return goStringFromBytes(decrypted.subarray(0, end));
}

/** base64.StdEncoding.DecodeString, its error returned as sprig returns it. */
function strictBase64(text: string): Buffer {
  try {
    return goBase64Decode(goBytes(text), 'std');
  } catch (err) {
    throw new FunctionError((err as Error).message);
  }
}

/** x/crypto/bcrypt GenerateFromPassword at DefaultCost (10) over the string's bytes; sprig returns the error as text. */
function bcrypt(password: string): string {
  try {
    return bcryptHash(goBytes(password), 10);
  } catch (err) {
    return `failed to encrypt string with bcrypt: ${(err as Error).message}`;
  }
}

/** math/rand's Intn (random, not reproducible): panics for n <= 0 as Go does. */
function intn(n: bigint): bigint {
  if (n <= 0n) throw new FunctionError('invalid argument to Intn');
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(randomInt(Number(n))) : BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()) % n;
}

export const sprigCryptoFunctions: FunctionMap = {
  sprig_randAlpha: fn(['int'], ([n]) => randomString(n ?? 0n, ALPHA)),
  sprig_randAlphaNum: fn(['int'], ([n]) => randomString(n ?? 0n, ALPHA + DIGITS)),
  sprig_randNumeric: fn(['int'], ([n]) => randomString(n ?? 0n, DIGITS)),
  sprig_randAscii: fn(['int'], ([n]) => randomString(n ?? 0n, ASCII)),
  sprig_randBytes: fn(['int'], ([n]) => {
    if (size(n ?? 0n) < 0) throw new FunctionError('runtime error: makeslice: len out of range');
    return randomBytes(size(n ?? 0n)).toString('base64');
  }),
  sprig_randInt: fn(['int', 'int'], ([min, max]) => intn((max as bigint) - (min as bigint)) + (min as bigint)),
  sprig_uuidv4: fn([], () => randomUUID()),
  sprig_shuffle: fn(['string'], ([s]) => {
    const runes = [...(s as string)];
    for (let i = runes.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [runes[i], runes[j]] = [runes[j]!, runes[i]!];
    }
    return runes.join('');
  }),
  // network.go: one of the name's addresses at random; no address panics in rand.Intn as in Go.
  sprig_getHostByName: fn(['string'], ([name], ctx) => {
    const addresses = ctx.services.lookupHost(name as string);
    return addresses[Number(intn(BigInt(addresses.length)))]!;
  }),
  sprig_derivePassword: fn(['uint32', 'string', 'string', 'string', 'string'], ([counter, type, password, user, site]) => derivePassword(counter as bigint, type as string, password as string, user as string, site as string)),
  sprig_bcrypt: fn(['string'], ([password]) => bcrypt(password as string)),
  sprig_htpasswd: fn(['string', 'string'], ([user, password]) => ((user as string).includes(':') ? `invalid username: ${user as string}` : `${user as string}:${bcrypt(password as string)}`)),
  sprig_encryptAES: fn(['string', 'string'], ([password, text]) => encryptAES(password as string, text as string)),
  sprig_decryptAES: fn(['string', 'string'], ([password, crypt]) => decryptAES(password as string, crypt as string)),
};
