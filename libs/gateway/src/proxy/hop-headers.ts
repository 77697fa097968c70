/** Connection-level headers that one hop must not pass to the next (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Whether a lower-case header name is hop-by-hop by itself (not counting names a `Connection` header lists). */
export const isHopByHop = (lowerName: string): boolean => HOP_BY_HOP.has(lowerName);

/** Whether a `Connection` value names headers beyond its own `close`/`keep-alive` options. */
export function connectionNamesHeaders(value: string): boolean {
  for (const token of value.split(',')) {
    const option = token.trim().toLowerCase();
    if (option !== '' && option !== 'close' && option !== 'keep-alive') return true;
  }
  return false;
}

/**
 * The end-to-end headers of a raw header list (`[name, value, name, value...]`), in order,
 * with their original case and repetitions: hop-by-hop headers and those a `Connection`
 * header names are dropped. Node answers `Expect: 100-continue` itself, so it is dropped too.
 */
export function endToEndHeaders(raw: readonly string[]): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'connection') {
      named ??= new Set();
      for (const token of (raw[i + 1] as string).split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name)) continue;
    kept.push(raw[i] as string, raw[i + 1] as string);
  }
  return kept;
}

/** A raw header list without every occurrence of `name` (lower case). */
export function withoutHeader(raw: readonly string[], name: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() !== name) kept.push(raw[i] as string, raw[i + 1] as string);
  return kept;
}
