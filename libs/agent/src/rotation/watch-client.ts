import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Largest watch answer read: 64 paths of 1 KiB and their versions fit well below it. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** What `POST /v1/rotation/watch` answered: versions of changed paths, or why it refused. */
export type WatchOutcome = { status: 200; changed: Record<string, number> } | { status: number; message: string };

/**
 * One blocking query to the rotation service (`POST <address>/v1/rotation/watch`) with the
 * pod's token in `X-Vault-Token`. Rejects on network errors, timeouts and unreadable answers;
 * the token appears in no error.
 */
export function postWatch(address: URL, token: string, body: { paths: string[]; known: Record<string, number>; waitMs: number }, signal: AbortSignal): Promise<WatchOutcome> {
  const payload = JSON.stringify(body);
  const url = new URL('/v1/rotation/watch', address);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        signal,
        // The service answers within waitMs; a little more covers a slow network before giving up.
        timeout: body.waitMs + 15_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-vault-token': token },
      },
      (response) => void readAnswer(response).then(resolve, reject),
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${body.waitMs + 15_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function readAnswer(response: IncomingMessage): Promise<WatchOutcome> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      response.destroy();
      throw new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const status = response.statusCode ?? 0;
  let parsed: { changed?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed;
  } catch {
    throw new Error(`HTTP ${status} with an unreadable body`);
  }
  if (status !== 200) return { status, message: typeof parsed.message === 'string' ? parsed.message.slice(0, 512) : `HTTP ${status}` };
  const changed: Record<string, number> = {};
  if (typeof parsed.changed === 'object' && parsed.changed !== null) {
    for (const [path, version] of Object.entries(parsed.changed)) if (typeof version === 'number' && Number.isSafeInteger(version)) changed[path] = version;
  }
  return { status: 200, changed };
}
