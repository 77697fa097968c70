import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AgentConfig, ListenerConfig } from '../config/agent-config';
import type { AgentLogger } from '../log/agent-logger';
import type { VaultClient } from '../vault/vault-client';
import type { AgentMetrics } from './agent-metrics';

const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Hop-by-hop and framing headers the proxy sets itself. */
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-authorization', 'upgrade']);

export interface ListenerHooks {
  /** The auto-auth token, or undefined when there is none yet. */
  token(): string | undefined;
  /** POST /agent/v1/quit. */
  quit(): void;
}

/**
 * Vault Agent's listener on 127.0.0.1 (no persistent or response cache): proxies Vault
 * requests, adding the auto-auth token per `use_auto_auth_token` (true: when the request has
 * none; force: always; false: never), serves `/agent/v1/quit` when enabled and
 * `/agent/v1/metrics`. Bodies over 32 MiB get 413; Vault unreachable gets 502, as the agent's.
 */
export class AgentListener {
  private readonly servers: Server[] = [];

  constructor(
    private readonly config: AgentConfig,
    private readonly client: VaultClient,
    private readonly hooks: ListenerHooks,
    private readonly metrics: AgentMetrics,
    private readonly log: AgentLogger,
  ) {}

  async start(): Promise<void> {
    for (const listener of this.config.listeners) {
      const server = createServer((req, res) => void this.handle(listener, req, res));
      server.requestTimeout = 60_000;
      server.headersTimeout = 10_000;
      const { host, port } = splitAddress(listener.address);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      this.servers.push(server);
      this.log.info('listener started', { address: listener.address });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of this.servers) s.closeAllConnections();
  }

  private async handle(listener: ListenerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?')[0] as string;
    try {
      if (path === '/agent/v1/quit') {
        if (!listener.enableQuit) return reply(res, 404, { errors: ['quit endpoint is not enabled'] });
        if (req.method !== 'POST' && req.method !== 'PUT') return reply(res, 405, { errors: ['use POST'] });
        reply(res, 200, null);
        this.hooks.quit();
        return;
      }
      if (path === '/agent/v1/metrics') {
        const prometheus = /[?&]format=prometheus\b/.test(url);
        res.writeHead(200, { 'Content-Type': prometheus ? 'text/plain; version=0.0.4' : 'application/json' });
        res.end(prometheus ? this.metrics.prometheus() : JSON.stringify(this.metrics.json()));
        return;
      }
      if (!path.startsWith('/v1/')) return reply(res, 404, { errors: ['unknown path'] });
      const body = await readBody(req);
      if (body === 'too-large') return reply(res, 413, { errors: ['request body larger than 32 MiB'] });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!DROPPED.has(k) && typeof v === 'string') headers[k] = v;
      const mode = this.config.cache?.useAutoAuthToken ?? 'false';
      const token = this.hooks.token();
      const given = headers['x-vault-token'];
      delete headers['x-vault-token'];
      const useToken = mode === 'force' || (mode === 'true' && !given) ? token : given;
      this.metrics.proxied++;
      const answer = await this.client.send({ method: req.method ?? 'GET', path: url, rawBody: body.length > 0 ? body : undefined, headers, token: useToken });
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!DROPPED.has(k) && typeof v === 'string') out[k] = v;
      res.writeHead(answer.status, out);
      res.end(answer.body);
    } catch (error) {
      this.log.warn('proxy request failed', { path, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      if (!res.headersSent) reply(res, 502, { errors: ['Vault is unreachable'] });
      else res.destroy();
    }
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === null ? '' : JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `host:port` (IPv6 in brackets); the port defaults to 8200 as Vault's listener does. */
export function splitAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(address.trim());
  const host = m?.[1] || '127.0.0.1';
  const port = m?.[2] ? Number(m[2]) : 8200;
  return { host, port };
}
