import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { mayRetry, retryableStatus, type AttemptFailure } from '../routing/failover-policy';
import { classifyRequest, type ReadRouting, type RequestKind } from '../routing/request-kind';
import type { ServerSet } from '../server-set';
import type { UpstreamServer } from '../upstream-server';
import { pathOnly, silentGatewayLogger, type GatewayLogger } from './gateway-logger';
import { endToEndHeaders, withoutHeader } from './hop-headers';
import { ReplayableBody } from './replayable-body';

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

/** An error answer of a server, kept whole so it can be passed on if no retry happens. */
interface BufferedAnswer {
  status: number;
  message: string;
  headers: string[];
  body: Buffer;
}

type Attempt =
  | { type: 'done' | 'client-gone' | 'broken' }
  | { type: 'failed'; failure: AttemptFailure; detail: string; answer?: BufferedAnswer };

/** What an attempt sends as the request body: a ReplayableBody, or nothing. */
interface BodySource {
  readonly replayable: boolean;
  attach(sink: Writable): void;
  detach(): void;
}

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
 * node:http rather than undici: the failover rules hinge on socket-level facts per attempt
 * (was this connection fresh and never established, was it a reused one, had any response
 * byte arrived), which node:http exposes as `socket`/`connect` events and `reusedSocket`,
 * and raw header lists pass through untouched in both directions.
 */
export class HttpProxy {
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 512, scheduling: 'lifo' });
  /** Aborts for idempotent attempts still waiting for an answer, per server id. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly servers: ServerSet,
    private readonly options: HttpProxyOptions,
    private readonly onSuspect: (server: UpstreamServer) => void,
    private readonly metrics: ProxyMetrics = noMetrics,
    private readonly logger: GatewayLogger = silentGatewayLogger,
  ) {
    servers.addListener({ lost: (server) => this.abortWaiting(server.id) });
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
      const waitStart = Date.now();
      const server = await this.servers.acquire(kind.target, waitStart + this.options.holdTimeoutMs);
      const waited = Date.now() - waitStart;
      if (waited > 0) this.metrics.held(waited);
      if (res.destroyed) return this.metrics.finished('client-gone', kind);
      if (!server) {
        this.metrics.finished('no-server', kind);
        if (lastAnswer) return this.replay(res, lastAnswer);
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
        if (lastAnswer) return this.replay(res, lastAnswer);
        return this.reply(res, 502, `consul-gateway: connection to ${server.id} broke (${result.detail}) before an answer; a write that may have been applied is not retried`);
      }
      this.metrics.retried(result.failure);
      if (result.failure === 'retryable-status') await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs * attempt));
    }
  }

  private attempt(server: UpstreamServer, req: IncomingMessage, res: ServerResponse, body: BodySource, kind: RequestKind): Promise<Attempt> {
    return new Promise((resolve) => {
      const untrack = this.servers.track(server);
      let settled = false;
      let connected = false;
      let answered = false;
      const upstream = request({
        host: server.host,
        port: server.httpPort,
        method: req.method,
        path: req.url,
        headers: endToEndHeaders(req.rawHeaders),
        agent: this.agent,
        setHost: false,
      });
      const abort = () => {
        if (!answered) upstream.destroy(new Error('server lost while waiting for its answer'));
      };
      const onClientClose = () => {
        if (res.writableFinished) return;
        upstream.destroy();
        finish({ type: 'client-gone' });
      };
      const finish = (result: Attempt) => {
        if (settled) return;
        settled = true;
        untrack();
        this.waiting.get(server.id)?.delete(abort);
        res.off('close', onClientClose);
        if (result.type === 'failed') body.detach();
        resolve(result);
      };
      // Only waits that can last (blocking queries, streams) are worth aborting when their
      // server is declared lost; a short read learns of a dead server from its socket.
      if (kind.idempotent && kind.longLived) {
        let set = this.waiting.get(server.id);
        if (!set) this.waiting.set(server.id, (set = new Set()));
        set.add(abort);
      }
      res.once('close', onClientClose);

      upstream.on('socket', (socket) => {
        // Small requests and answers must not wait for Nagle's algorithm (40 ms stalls).
        socket.setNoDelay(true);
        if (!socket.connecting) {
          connected = true;
          return;
        }
        const timer = setTimeout(() => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNTIMEOUT' })), this.options.connectTimeoutMs);
        socket.once('connect', () => {
          connected = true;
          clearTimeout(timer);
        });
        socket.once('close', () => clearTimeout(timer));
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        finish({ type: 'failed', failure: connected ? 'lost-before-response' : 'connect-failed', detail: error.code ?? error.message });
      });
      upstream.on('response', (answer) => {
        answered = true;
        answer.on('error', () => undefined); // a premature close is handled on 'close'
        this.waiting.get(server.id)?.delete(abort);
        if (answer.headers['x-consul-knownleader'] === 'false') this.onSuspect(server);
        const status = answer.statusCode ?? 502;
        if (status >= 500 && status !== 501) this.decideOnError(answer, res, kind, finish);
        else this.stream(answer, res, finish);
      });
      body.attach(upstream);
    });
  }

  /** Passes an answer on as it arrives; a break after the status line closes the client's connection. */
  private stream(answer: IncomingMessage, res: ServerResponse, finish: (result: Attempt) => void): void {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders));
    answer.pipe(res);
    res.once('finish', () => finish({ type: 'done' }));
    answer.once('close', () => {
      if (answer.complete) return;
      // Headers are out: another server's answer cannot be spliced in. Closing tells the client.
      res.destroy();
      finish({ type: 'broken' });
    });
  }

  /** Reads a 5xx answer whole (bounded) and either retries or passes it on. */
  private decideOnError(answer: IncomingMessage, res: ServerResponse, kind: RequestKind, finish: (result: Attempt) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ERROR_BODY) chunks.push(chunk);
    });
    answer.once('close', () => {
      const buffered: BufferedAnswer = {
        status: answer.statusCode ?? 502,
        message: answer.statusMessage ?? '',
        headers: withoutHeader(endToEndHeaders(answer.rawHeaders), 'content-length'),
        body: Buffer.concat(chunks),
      };
      if (!answer.complete || size > MAX_ERROR_BODY) {
        finish({ type: 'failed', failure: 'lost-before-response', detail: `HTTP ${buffered.status} answer cut off` });
      } else if (retryableStatus(kind, buffered.status, buffered.body.toString('utf8'))) {
        finish({ type: 'failed', failure: 'retryable-status', detail: `HTTP ${buffered.status}`, answer: buffered });
      } else {
        this.replay(res, buffered);
        finish({ type: 'done' });
      }
    });
  }

  private replay(res: ServerResponse, answer: BufferedAnswer): void {
    res.writeHead(answer.status, answer.message, [...answer.headers, 'Content-Length', String(answer.body.length)]);
    res.end(answer.body);
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
    this.agent.destroy();
  }
}
