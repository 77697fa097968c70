import { z } from 'zod';
import { VaultError, type VaultClient } from '@opzero/vault';
import type { GrantCache } from './grant-cache';
import type { PathVersions } from './push-hub';

/** Most paths one sidecar may watch in one request (its templates' paths). */
export const MAX_WATCH_PATHS = 64;
/** Longest a watch may block. */
export const MAX_WAIT_MS = 60_000;
/** Vault token length bound: tokens are ~100 characters; anything far longer is refused unread. */
const MAX_TOKEN_LENGTH = 4096;

const path = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^/\s][^\s]*$/, 'must be a relative Vault path without spaces');

/** `POST /v1/rotation/watch` body: paths, the versions the sidecar rendered, how long to wait. */
export const watchRequestSchema = z
  .object({
    paths: z.array(path).min(1).max(MAX_WATCH_PATHS),
    known: z.record(path, z.number().int().nonnegative()).default({}),
    waitMs: z.number().int().min(0).max(MAX_WAIT_MS).default(30_000),
  })
  .strict()
  .refine((request) => Object.keys(request.known).length <= MAX_WATCH_PATHS, { message: `at most ${MAX_WATCH_PATHS} entries`, path: ['known'] });

export type WatchRequest = z.infer<typeof watchRequestSchema>;

/** Why a watch was refused; `status` is the HTTP answer, `message` names the field or the path. */
export class WatchRefused extends Error {
  override readonly name = 'WatchRefused';
  constructor(
    readonly status: 400 | 401 | 403 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a body, naming the first bad field. */
export function parseWatchRequest(body: unknown): WatchRequest {
  const parsed = watchRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new WatchRefused(400, `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/**
 * Checks with Vault that the pod's token may read every path (`sys/capabilities-self`), so a pod
 * learns only about paths it may read; with `grants`, a grant seen within its TTL is not asked
 * again. The token is never logged nor put in an error.
 */
export async function authorizeWatch(vault: VaultClient, token: string | undefined, paths: readonly string[], grants?: GrantCache): Promise<void> {
  if (!token) throw new WatchRefused(401, 'X-Vault-Token header is required');
  if (token.length > MAX_TOKEN_LENGTH || /\s/.test(token)) throw new WatchRefused(401, 'X-Vault-Token is not a Vault token');
  if (grants?.allows(token, paths)) return;
  let capabilities: Record<string, string[]>;
  try {
    capabilities = await vault.withToken(token).capabilitiesSelf([...paths]);
  } catch (error) {
    if (error instanceof VaultError && (error.status === 403 || error.status === 401)) throw new WatchRefused(403, 'Vault refused the token');
    throw new WatchRefused(503, `Vault could not check the token: ${error instanceof VaultError ? `HTTP ${error.status || error.code}` : 'no answer'}`);
  }
  for (const candidate of paths) {
    const granted = capabilities[candidate] ?? [];
    if (!granted.includes('read') && !granted.includes('root')) throw new WatchRefused(403, `the token may not read ${candidate}`);
  }
  grants?.remember(token, paths);
}

/** The answer: versions of changed paths (empty when the wait ended without a change). */
export interface WatchAnswer {
  changed: PathVersions;
}
