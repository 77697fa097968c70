/**
 * encoding/base64's padded decoder (StdEncoding / URLEncoding), ported from decodeQuantum:
 * `\r` and `\n` are skipped anywhere (so the 76-column output of PEM-style wrapping
 * decodes), and a bad input reports the byte offset Go reports.
 */
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}
const MAPS = { std: decodeMap(STD), url: decodeMap(URL) };
const PAD = 0x3d;
const isNewline = (b: number): boolean => b === 0x0a || b === 0x0d;

/** Go's base64.CorruptInputError. */
export class CorruptInputError extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** Decodes `src`; throws CorruptInputError exactly where Go's DecodeString fails. */
export function goBase64Decode(src: Uint8Array, variant: 'std' | 'url'): Buffer {
  const map = MAPS[variant];
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new CorruptInputError(si - j);
      }
      const inByte = src[si]!;
      si++;
      const v = map[inByte]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(inByte)) {
        j--;
        continue;
      }
      if (inByte !== PAD) throw new CorruptInputError(si - 1);
      if (j === 0 || j === 1) throw new CorruptInputError(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si]!)) si++;
        if (si === src.length) throw new CorruptInputError(src.length);
        if (src[si] !== PAD) throw new CorruptInputError(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si]!)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!);
    if (trailing !== undefined) throw new CorruptInputError(trailing);
  }
  return Buffer.from(out);
}
