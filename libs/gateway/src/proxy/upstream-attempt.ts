import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttemptFailure } from '../routing/failover-policy';
import type { UpstreamServer } from '../upstream-server';
import { connectionNamesHeaders, endToEndHeaders, isHopByHop, withoutHeader } from './hop-headers';
import type { BodySink } from './replayable-body';
import { ResponseReader, type ResponseHead } from './response-reader';
import type { UpstreamPool } from './upstream-pool';

/** An error answer of a server, kept whole so it can be passed on if no retry happens. */
export interface BufferedAnswer {
  status: number;
  message: string;
  headers: string[];
  body: Buffer;
}

/** How one attempt on one server ended. */
export type Attempt =
  | { type: 'done' | 'client-gone' | 'broken' }
  | { type: 'failed'; failure: AttemptFailure; detail: string; answer?: BufferedAnswer };

/** What an attempt sends as the request body: a ReplayableBody, or nothing. */
export interface BodySource {
  readonly replayable: boolean;
  attach(sink: BodySink): void;
  detach(): void;
}

/** What the attempt needs from the proxy around it. */
export interface AttemptOptions {
  server: UpstreamServer;
  req: IncomingMessage;
  res: ServerResponse;
  body: BodySource;
  /** The request carries a body with a transfer coding (re-encoded chunked upstream). */
  chunkedBody: boolean;
  pool: UpstreamPool;
  connectTimeoutMs: number;
  /** Largest 5xx body read to decide whether to retry. */
  maxErrorBody: number;
  /** Registers the abort of a wait that may last (the server was declared lost); returns its removal. */
  abortable(abort: () => void): () => void;
  /** The server answered in a way that says its health should be checked now. */
  suspect(): void;
  /** Whether a complete 5xx answer is one to retry on another server. */
  retryable(status: number, body: string): boolean;
}

const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/** The request head as sent upstream: end-to-end headers in their order and case, a Host if the client sent none. */
function requestHead(req: IncomingMessage, server: UpstreamServer, chunked: boolean): string {
  const raw = req.rawHeaders;
  // One pass over the client's headers; only a Connection header naming others needs two.
  const headers = raw.some((name, i) => i % 2 === 0 && name.length === 10 && name.toLowerCase() === 'connection' && connectionNamesHeaders(raw[i + 1] as string)) ? endToEndHeaders(raw) : raw;
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
  let host = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    const lower = name.toLowerCase();
    if (isHopByHop(lower)) continue;
    if (lower === 'host') host = true;
    head += `${name}: ${headers[i + 1] as string}\r\n`;
  }
  if (!host) head += `Host: ${server.id}\r\n`;
  if (chunked) head += 'Transfer-Encoding: chunked\r\n';
  return `${head}\r\n`;
}

/**
 * One exchange with one Consul server over a pooled keep-alive connection: the request head
 * written as raw bytes (no ClientRequest, no Agent), the body streamed with backpressure, the
 * answer read by ResponseReader and passed on as it arrives. It reports the facts the failover
 * rules need: the connection was never established (`connect-failed`), it broke before any
 * answer (`lost-before-response`), a 5xx came back whole (decided by `retryable`), or the
 * answer broke after its head was passed on (`broken`). A connection goes back to the pool
 * only after a complete answer to a completely sent request.
 */
export function sendAttempt(options: AttemptOptions): Promise<Attempt> {
  const { server, req, res, body, pool } = options;
  return new Promise((resolve) => {
    const { socket, reused } = pool.take(server);
    let connected = reused;
    let settled = false;
    let requestSent = false;
    let lastError: string | undefined;
    let errorAnswer: { head: ResponseHead; chunks: Buffer[]; size: number } | undefined;
    let paused = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (result: Attempt, reusable = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unregisterAbort();
      socket.off('data', onData).off('error', onError).off('close', onClose);
      res.off('close', onClientClose);
      if (reusable && requestSent) {
        socket.resume();
        pool.give(server, socket);
      } else socket.destroy();
      if (result.type === 'failed') body.detach();
      resolve(result);
    };
    const reader = new ResponseReader(req.method === 'HEAD', {
      head: (head) => {
        unregisterAbort();
        if (head.leaderUnknown) options.suspect();
        if (head.status >= 500 && head.status !== 501) errorAnswer = { head, chunks: [], size: 0 };
        else res.writeHead(head.status, head.message, head.endToEnd);
      },
      body: (chunk, last) => {
        if (errorAnswer) {
          errorAnswer.size += chunk.length;
          if (errorAnswer.size <= options.maxErrorBody) errorAnswer.chunks.push(chunk);
          return;
        }
        // The whole rest of the body: head and body leave in one write, with the end.
        if (last) return void res.end(chunk);
        if (!res.write(chunk) && !paused) {
          paused = true;
          socket.pause();
          res.once('drain', () => {
            paused = false;
            socket.resume();
          });
        }
      },
      end: (reusable) => {
        if (!errorAnswer) {
          if (!res.writableEnded) res.end();
          return finish({ type: 'done' }, reusable);
        }
        const { head, chunks, size } = errorAnswer;
        const answer: BufferedAnswer = { status: head.status, message: head.message, headers: head.endToEnd, body: Buffer.concat(chunks) };
        if (size > options.maxErrorBody) return finish({ type: 'failed', failure: 'lost-before-response', detail: `HTTP ${head.status} answer too large to judge` });
        if (options.retryable(head.status, answer.body.toString('utf8'))) return finish({ type: 'failed', failure: 'retryable-status', detail: `HTTP ${head.status}`, answer }, reusable);
        replayAnswer(res, answer);
        finish({ type: 'done' }, reusable);
      },
      error: (detail) => {
        if (!reader.answered) return finish({ type: 'failed', failure: connected ? 'lost-before-response' : 'connect-failed', detail: lastError ?? detail });
        if (errorAnswer) return finish({ type: 'failed', failure: 'lost-before-response', detail: `HTTP ${errorAnswer.head.status} answer cut off` });
        // The head is out: another server's answer cannot be spliced in. Closing tells the client.
        res.destroy();
        finish({ type: 'broken' });
      },
    });
    const onData = (chunk: Buffer) => reader.push(chunk);
    const onError = (error: NodeJS.ErrnoException) => {
      lastError = error.code ?? error.message;
    };
    const onClose = () => reader.closed();
    const onClientClose = () => {
      if (res.writableFinished) return;
      finish({ type: 'client-gone' });
    };
    // Only waits that can last are worth aborting when their server is declared lost; a short
    // read learns of a dead server from its socket.
    const unregisterAbort = options.abortable(() => {
      if (!reader.answered) socket.destroy(new Error('server lost while waiting for its answer'));
    });

    socket.on('data', onData).on('error', onError).on('close', onClose);
    res.once('close', onClientClose);
    if (!reused) {
      timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNTIMEOUT' })), options.connectTimeoutMs);
      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
      });
    }
    socket.write(requestHead(req, server, options.chunkedBody), 'latin1');
    body.attach(
      options.chunkedBody
        ? {
            write: (chunk) => socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, CRLF])),
            end: () => {
              socket.write(LAST_CHUNK);
              requestSent = true;
            },
            onDrain: (listener) => socket.once('drain', listener),
          }
        : {
            write: (chunk) => socket.write(chunk),
            end: () => {
              requestSent = true;
            },
            onDrain: (listener) => socket.once('drain', listener),
          },
    );
  });
}

/** Writes a buffered answer to the client whole, with its exact length. */
export function replayAnswer(res: ServerResponse, answer: BufferedAnswer): void {
  res.writeHead(answer.status, answer.message, [...withoutHeader(answer.headers, 'content-length'), 'Content-Length', String(answer.body.length)]);
  res.end(answer.body);
}
