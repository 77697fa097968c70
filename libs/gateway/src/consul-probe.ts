import { request } from 'node:http';
import type { UpstreamServer } from './upstream-server';

/** What a probe of one Consul endpoint returned: status, the headers the checks read, the JSON body. */
export interface ProbeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Largest probe answer read (`/v1/agent/self` is ~30 KiB; a catalog of 64 servers far less). */
const MAX_PROBE_BYTES = 1024 * 1024;

/**
 * GETs `path` from one server on a fresh connection (so a probe proves the server accepts
 * connections now, not that a pooled socket survived), with a deadline and a size limit.
 * Never retries: the caller decides what a failure means.
 */
export function probeJson(server: UpstreamServer, path: string, timeoutMs: number, token?: string): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: server.host,
        port: server.httpPort,
        path,
        method: 'GET',
        agent: false,
        headers: token ? { 'x-consul-token': token } : {},
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_PROBE_BYTES) {
            req.destroy(new Error(`${path}: answer larger than ${MAX_PROBE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // Error answers are plain text; keep the text.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    // `timeout` only covers socket inactivity; the deadline covers the whole exchange.
    const deadline = setTimeout(() => req.destroy(new Error(`${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end();
  });
}
