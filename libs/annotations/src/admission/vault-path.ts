/**
 * A secret path as the agent's template engine reads it: consul-template's Vault queries trim
 * surrounding white space and slashes (`strings.Trim(s, "/")`), so `/secret/db ` reads
 * `secret/db`. The pod-created event carries the path in this form, the one Vault sees.
 */
export function normaliseVaultPath(path: string): string {
  return trimWhile(trimWhile(path, (c) => /\s/.test(c)), (c) => c === '/');
}

function trimWhile(text: string, trimmable: (c: string) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && trimmable(text[start]!)) start++;
  while (end > start && trimmable(text[end - 1]!)) end--;
  return text.slice(start, end);
}
