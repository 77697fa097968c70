import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { VaultConnectionConfig } from '../config/agent-config';
import { proxyFor, tunnelConnect } from './proxy-tunnel';
import { tlsOptions } from './vault-tls';

/** A Vault answer: status and raw body (JSON numbers keep their text for templates). */
export interface VaultResponse {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface VaultRequest {
  method: string;
  /** Path after /v1/, or an absolute path starting with / (the listener proxies those). */
  path: string;
  token?: string;
  body?: unknown;
  /** Raw body bytes (the listener forwards them unchanged). */
  rawBody?: Buffer;
  query?: Readonly<Record<string, string>>;
  namespace?: string;
  headers?: Readonly<Record<string, string>>;
}

/** A Vault error: the HTTP status and Vault's `errors` list, never the request's token or body. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly errors: readonly string[],
  ) {
    super(`${operation}: ${status === 0 ? '' : `HTTP ${status}: `}${errors.join('; ') || 'no error text'}`);
    this.name = 'VaultError';
  }
}

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 1500;

/**
 * The agent's Vault client: node:http(s) only, because the agent's start-up is paid by every
 * pod (node-vault costs ~19 MiB and ~100 ms more to load; see tools/bench/agent). Retries
 * connection errors, 412 and 5xx up to VAULT_MAX_RETRIES times with Vault's 1-1.5 s backoff.
 */
export class VaultClient {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly tls: ReturnType<typeof tlsOptions> | undefined;

  constructor(
    private readonly config: VaultConnectionConfig,
    options: { keepAlive: boolean; maxSockets?: number } = { keepAlive: true },
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.base = new URL(config.address);
    const https = this.base.protocol === 'https:';
    this.tls = https ? tlsOptions(config) : undefined;
    const agentOptions = { keepAlive: options.keepAlive, maxSockets: options.maxSockets ?? Infinity, ...(this.tls ?? {}) };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    const proxy = proxyFor(this.base, env);
    if (proxy) {
      Object.assign(this.agent, {
        createConnection: (opts: { host: string; port: number }, done: (error: Error | null, socket?: Duplex) => void) => {
          // SNI only for names: RFC 6066 forbids IP addresses there.
          const servername = this.tls?.servername ?? (isIP(opts.host) ? undefined : opts.host);
          tunnelConnect(proxy, { ...this.tls, host: opts.host, port: opts.port, ...(servername ? { servername } : {}) }, done);
          return undefined;
        },
      });
    }
  }

  get address(): string {
    return this.config.address;
  }

  /** Sends a request, retrying transient failures; resolves with any HTTP status. */
  async send(req: VaultRequest): Promise<VaultResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.once(req);
        if ((response.status >= 500 || response.status === 412) && attempt < this.config.maxRetries) {
          await sleep(RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS));
          continue;
        }
        return response;
      } catch (error) {
        if (attempt >= this.config.maxRetries) throw error;
        await sleep(RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS));
      }
    }
  }

  /** Sends and requires 2xx; 404 gives null when allowed. Throws a VaultError otherwise. */
  async call(req: VaultRequest, allowNotFound = false): Promise<string | null> {
    const operation = `${req.method} ${displayPath(req.path)}`;
    let response: VaultResponse;
    try {
      response = await this.send(req);
    } catch (error) {
      throw new VaultError(0, operation, [(error as NodeJS.ErrnoException).code ?? (error as Error).message]);
    }
    if (response.status === 204) return null;
    if (response.status === 404 && allowNotFound) return null;
    if (response.status >= 200 && response.status < 300) return response.body;
    throw new VaultError(response.status, operation, vaultErrors(response.body));
  }

  close(): void {
    this.agent.destroy();
  }

  private once(req: VaultRequest): Promise<VaultResponse> {
    const url = new URL(this.base.toString());
    const basePath = url.pathname.replace(/\/+$/, '');
    const [pathOnly, rawQuery] = req.path.split('?', 2) as [string, string | undefined];
    url.pathname = pathOnly.startsWith('/') ? basePath + pathOnly : `${basePath}/v1/${pathOnly}`;
    url.search = rawQuery !== undefined ? `?${rawQuery}` : '';
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.append(k, v);
    const body = req.rawBody ?? (req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body)));
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (req.token) headers['X-Vault-Token'] = req.token;
    const namespace = req.namespace ?? this.config.namespace;
    if (namespace) headers['X-Vault-Namespace'] = namespace;
    if (body) {
      headers['Content-Length'] = String(body.length);
      headers['Content-Type'] ??= 'application/json';
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(url, { method: req.method, headers, agent: this.agent, timeout: this.config.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy(new Error('response larger than 32 MiB'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      r.on('timeout', () => r.destroy(new Error(`no answer within ${this.config.timeoutMs} ms`)));
      r.on('error', reject);
      r.end(body);
    });
  }
}

/** The path for messages: query strings can carry data, so only the path is shown. */
function displayPath(path: string): string {
  return (path.startsWith('/') ? path : `/v1/${path}`).split('?')[0] as string;
}

function vaultErrors(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) return parsed.errors.filter((e): e is string => typeof e === 'string').map((e) => e.slice(0, 500));
  } catch {
    // not JSON: fall through to the generic text
  }
  return [];
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
