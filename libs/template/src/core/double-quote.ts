/**
 * Writes `s` between double quotes, escaping each character found in `named` with its escape
 * and any other through `escapeOther` (undefined keeps the character). Go's strconv.Quote, the
 * YAML emitter and the TOML encoder differ only in those two tables.
 */
export function doubleQuote(
  s: string,
  named: ReadonlyMap<string, string>,
  escapeOther: (codePoint: number) => string | undefined,
): string {
  let out = '"';
  for (const ch of s) out += named.get(ch) ?? escapeOther(ch.codePointAt(0)!) ?? ch;
  return out + '"';
}

/** `\xHH`-style hex of a code point, zero-padded to `width` digits. */
export const hex = (codePoint: number, width: number, upper = false): string => {
  const digits = codePoint.toString(16).padStart(width, '0');
  return upper ? digits.toUpperCase() : digits;
};
