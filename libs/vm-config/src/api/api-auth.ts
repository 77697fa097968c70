import { createHash, timingSafeEqual } from 'node:crypto';

/** How reads are authorised: a bearer token, a header set by an authenticating proxy, or both. */
export interface ApiAuthOptions {
  /** Accepted as `Authorization: Bearer <token>`. */
  token?: string;
  /** Lower-case header name an auth proxy sets to the user (e.g. `x-forwarded-user`); any non-empty value is accepted. */
  proxyHeader?: string;
}

type Headers = Record<string, string | string[] | undefined>;

/** Why a request was refused (401), or null when it may read. Never echoes what was sent. */
export function authProblem(options: ApiAuthOptions, headers: Headers): string | null {
  if (!options.token && !options.proxyHeader) return 'reads are disabled: the service has neither an API token nor an auth proxy header configured';
  if (options.proxyHeader) {
    const user = headers[options.proxyHeader];
    if (typeof user === 'string' && user.length > 0 && user.length <= 256) return null;
  }
  if (options.token) {
    const header = headers['authorization'];
    if (typeof header === 'string' && header.startsWith('Bearer ') && header.length <= 1024 && sameSecret(header.slice(7), options.token)) return null;
  }
  return options.token ? 'missing or wrong bearer token (Authorization: Bearer <token>)' : `missing ${options.proxyHeader} header (set by the auth proxy)`;
}

/** Constant-time comparison of two secrets of any length (their hashes are compared). */
function sameSecret(given: string, expected: string): boolean {
  const hash = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(hash(given), hash(expected));
}
