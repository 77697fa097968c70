import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayRetry, retryableStatus, type AttemptFailure } from '../routing/failover-policy';
import { classifyRequest, type ReadRouting, type RequestKind } from '../routing/request-kind';
import type { ServerSet } from '../server-set';
import type { UpstreamServer } from '../upstream-server';
import { pathOnly, silentGatewayLogger, type GatewayLogger } from './gateway-logger';
import { ReplayableBody } from './replayable-body';
import { replayAnswer, sendAttempt, type Attempt, type BodySource, type BufferedAnswer } from './upstream-attempt';
import { UpstreamPool } from './upstream-pool';

export interface HttpProxyOptions {
  readRouting: ReadRouting;
  /** Longest a request waits for a fitting server (a leader during an election) before 503. */
  holdTimeoutMs: number;
  /** A connection not established within this is a connect failure (another server is tried). */
  connectTimeoutMs: number;
  /** Attempts per request across servers (holding does not count). */
  maxAttempts: number;
  /** Request bodies up to this size are kept for a retry. */
  replayLimitBytes: number;
  /** Pause before retrying after a retryable 5xx, times the attempt number. */
  retryBackoffMs: number;
}

/** Outcome names counted in metrics. */
export type ProxyOutcome = 'ok' | 'no-server' | 'not-retried' | 'broken-mid-response' | 'client-gone';

/** Counters the proxy reports; the app maps them onto Prometheus. */
export interface ProxyMetrics {
  finished(outcome: ProxyOutcome, kind: RequestKind): void;
  retried(failure: AttemptFailure): void;
  held(ms: number): void;
}

const noMetrics: ProxyMetrics = { finished() {}, retried() {}, held() {} };
const noop = (): void => undefined;

const NO_BODY: BodySource = { replayable: true, attach: (sink) => sink.end(), detach: () => undefined };

/** A request carries a body when it declares a non-zero length or a transfer coding. */
const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const FINISHED = { done: 'ok', 'client-gone': 'client-gone', broken: 'broken-mid-response' } as const;

/** Largest 5xx body read to decide whether to retry (Consul's are one line). */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The HTTP side of the gateway: every method and path passed to a Consul server over pooled
 * keep-alive connections, bodies streamed both ways with backpressure, raw headers kept (case,
 * order, repeats), no response timeout (blocking queries wait up to 10 min, /v1/agent/monitor
 * streams forever). Failover follows routing/failover-policy: connect failures go to another
 * server, idempotent requests and safe writes that broke before an answer are sent again,
 * requests with no fitting server wait up to holdTimeoutMs. Answers 503 only when no server
 * could be found in time and 502 only when a write was cut off and may have been applied.
 *
 * Clients are served by node:http (its llhttp parser, header limits and timeouts face the
 * untrusted side). The upstream side is raw keep-alive sockets (upstream-attempt.ts): the
 * request head written as bytes, the answer read by a small bounded parser. Measured on 2
 * cores, ClientRequest, the Agent and IncomingMessage cost more than the gateway's own logic,
 * and the failover rules hinge on socket-level facts per attempt (was the connection fresh and
 * never established, was it reused, had any answer arrived) that a raw socket states plainly.
 * Splicing whole connections instead would lose per-request routing and retries.
 */
export class HttpProxy {
  private readonly pool = new UpstreamPool();
  /** Aborts for idempotent attempts still waiting for an answer, per server id. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly servers: ServerSet,
    private readonly options: HttpProxyOptions,
    private readonly onSuspect: (server: UpstreamServer) => void,
    private readonly metrics: ProxyMetrics = noMetrics,
    private readonly logger: GatewayLogger = silentGatewayLogger,
  ) {
    servers.addListener({
      lost: (server) => {
        this.abortWaiting(server.id);
        this.pool.drop(server.id);
      },
    });
  }

  /** The request listener for a node:http server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.sendDate = false; // Consul's own Date header is passed on
    this.serve(req, res).catch((error: Error) => {
      this.logger.warn({ path: pathOnly(req.url), error: error.message }, 'proxy error');
      if (!res.headersSent) this.reply(res, 502, 'consul-gateway: internal proxy error');
      else res.destroy();
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const kind = classifyRequest(req.method ?? 'GET', req.url ?? '/', this.options.readRouting);
    // Most Consul requests have no body: skip the replay buffer and its listeners for them.
    const body = hasBody(req) ? new ReplayableBody(req, this.options.replayLimitBytes) : NO_BODY;
    let lastAnswer: BufferedAnswer | undefined;
    for (let attempt = 1; ; attempt++) {
      const server = this.servers.pickNow(kind.target) ?? (await this.hold(kind));
      if (res.destroyed) return this.metrics.finished('client-gone', kind);
      if (!server) {
        this.metrics.finished('no-server', kind);
        if (lastAnswer) return replayAnswer(res, lastAnswer);
        const what = kind.target === 'leader' ? 'no Consul leader known' : 'no healthy Consul server';
        return this.reply(res, 503, `consul-gateway: ${what} within ${this.options.holdTimeoutMs} ms`);
      }
      const result = await this.attempt(server, req, res, body, kind);
      if (result.type !== 'failed') return this.metrics.finished(FINISHED[result.type], kind);
      if (result.failure === 'retryable-status') this.onSuspect(server);
      else this.servers.eject(server.id, result.detail);
      lastAnswer = result.answer;
      const retry = mayRetry(kind, result.failure, body.replayable) && attempt < this.options.maxAttempts;
      if (!retry) {
        this.metrics.finished('not-retried', kind);
        this.logger.warn({ server: server.id, method: req.method, path: pathOnly(req.url), failure: result.failure, detail: result.detail }, 'request not retried');
        if (lastAnswer) return replayAnswer(res, lastAnswer);
        return this.reply(res, 502, `consul-gateway: connection to ${server.id} broke (${result.detail}) before an answer; a write that may have been applied is not retried`);
      }
      this.metrics.retried(result.failure);
      if (result.failure === 'retryable-status') await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs * attempt));
    }
  }

  /** Waits for a fitting server (an election), at most holdTimeoutMs. */
  private async hold(kind: RequestKind): Promise<UpstreamServer | undefined> {
    const waitStart = Date.now();
    const server = await this.servers.acquire(kind.target, waitStart + this.options.holdTimeoutMs);
    this.metrics.held(Date.now() - waitStart);
    return server;
  }

  private attempt(server: UpstreamServer, req: IncomingMessage, res: ServerResponse, body: BodySource, kind: RequestKind): Promise<Attempt> {
    const untrack = this.servers.track(server);
    return sendAttempt({
      server,
      req,
      res,
      body,
      chunkedBody: req.headers['transfer-encoding'] !== undefined,
      pool: this.pool,
      connectTimeoutMs: this.options.connectTimeoutMs,
      maxErrorBody: MAX_ERROR_BODY,
      abortable: (abort) => (kind.idempotent && kind.longLived ? this.trackWaiting(server.id, abort) : noop),
      suspect: () => this.onSuspect(server),
      retryable: (status, text) => retryableStatus(kind, status, text),
    }).finally(untrack);
  }

  private trackWaiting(serverId: string, abort: () => void): () => void {
    let set = this.waiting.get(serverId);
    if (!set) this.waiting.set(serverId, (set = new Set()));
    set.add(abort);
    return () => this.waiting.get(serverId)?.delete(abort);
  }

  private reply(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) + 1 });
    res.end(`${text}\n`);
  }

  private abortWaiting(serverId: string): void {
    const set = this.waiting.get(serverId);
    if (!set) return;
    this.waiting.delete(serverId);
    for (const abort of set) abort();
  }

  /** Closes pooled upstream connections. */
  close(): void {
    this.pool.close();
  }
}
