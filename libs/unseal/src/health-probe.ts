import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { VaultError, type HealthStatus } from '@opzero/vault';

/** Largest sys/health body read; Vault's is about 300 bytes. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * `GET /v1/sys/health` over one kept-alive connection, answering the body for every state
 * (active 200, standby 429, uninitialised 501, sealed 503...). It is the keeper's poll, run
 * several times a second per node for as long as the process lives: through node-vault (axios,
 * schema checks, a fresh connection each time) one poll cost about 3 ms of CPU and a burst of
 * garbage; this costs a fraction of that. Calls that carry a share stay on libs/vault.
 */
export class HealthProbe {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(
    address: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(`${address.replace(/\/+$/, '')}/v1/sys/health`);
    const https = this.url.protocol === 'https:';
    // One poll at a time per node: one socket, kept open between polls.
    this.agent = new (https ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: 1 });
    this.send = https ? httpsRequest : httpRequest;
  }

  /** The node's health; a VaultError when it does not answer in time or answers something else. */
  health(): Promise<HealthStatus> {
    return new Promise((resolve, reject) => {
      const fail = (status: number, message: string, code?: 'network' | 'timeout' | 'invalid-response') => reject(new VaultError('GET', 'sys/health', status, [message], code));
      const request = this.send(this.url, { agent: this.agent, timeout: this.timeoutMs, headers: { accept: 'application/json' } }, (response) =>
        readBody(response).then((body) => {
          const health = parseHealth(body);
          if (health) resolve(health);
          else fail(response.statusCode ?? 0, `HTTP ${response.statusCode}: the answer is not a health status`, 'invalid-response');
        }, (error: Error) => fail(0, error.message, 'network')),
      );
      let timedOut = false;
      request.on('timeout', () => {
        timedOut = true;
        request.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      request.on('error', (error: Error) => fail(0, error.message, timedOut ? 'timeout' : 'network'));
      request.end();
    });
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.agent.destroy();
  }
}

/** The body as text, refusing more than MAX_BODY_BYTES. */
function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) response.destroy(new Error(`sys/health answered more than ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}

/** A health status when `body` is one (the three booleans the keeper acts on), else undefined. */
export function parseHealth(body: string): HealthStatus | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const health = value as HealthStatus;
  return typeof health.initialized === 'boolean' && typeof health.sealed === 'boolean' && typeof health.standby === 'boolean' ? health : undefined;
}
