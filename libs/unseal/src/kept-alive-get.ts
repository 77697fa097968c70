import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** What one GET answered: the status code and the body as text. */
export interface GetAnswer {
  status: number;
  body: string;
}

/** Why a GET produced no answer: the network (or a malformed answer) or the clock. */
export class GetFailure extends Error {
  override readonly name = 'GetFailure';
  constructor(
    message: string,
    readonly code: 'network' | 'timeout',
  ) {
    super(message);
  }
}

/**
 * `GET <url>` again and again over one kept-alive HTTP/1.1 connection, written straight to the
 * socket and read back with a small parser. The keeper's poll runs this several times a second
 * for as long as the process lives; through node:http (Agent, ClientRequest, IncomingMessage
 * streams, llhttp) each poll cost about twice the CPU of the request itself. The answer is
 * bounded (`maxBytes`, headers included) and parsed in time linear in its size; anything that
 * is not a plain HTTP/1.x answer with Content-Length or chunked framing fails the call and drops
 * the connection. One call at a time (the keeper polls one node sequentially).
 */
export class KeptAliveGet {
  private readonly request: Buffer;
  private readonly host: string;
  private readonly port: number;
  private readonly tls: boolean;
  /** Where answers are read into: one call at a time, so one buffer for the connection's life. */
  private readonly buffer: Buffer;
  private socket: Socket | undefined;

  constructor(
    url: URL,
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
  ) {
    this.tls = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port) || (this.tls ? 443 : 80);
    this.buffer = Buffer.alloc(maxBytes);
    this.request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
  }

  /** One GET; a kept-alive connection that the server closed meanwhile is replaced once, silently. */
  async get(): Promise<GetAnswer> {
    const reused = this.socket !== undefined;
    try {
      return await this.exchange();
    } catch (error) {
      // The server may close an idle connection just as we write to it: nothing was answered, so asking again on a new one is safe.
      if (!reused || !(error instanceof StaleConnection)) throw error;
      return this.exchange();
    }
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connection(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = this.tls
      ? tlsConnect({ host: this.host, port: this.port, ALPNProtocols: ['http/1.1'], ...(isIP(this.host) ? {} : { servername: this.host }) })
      : tcpConnect({ host: this.host, port: this.port, noDelay: true });
    // Between calls nobody listens: an error or close then just retires the connection.
    const retire = () => {
      if (this.socket === socket) this.socket = undefined;
    };
    socket.on('error', retire).on('close', retire);
    this.socket = socket;
    return socket;
  }

  private exchange(): Promise<GetAnswer> {
    const socket = this.connection();
    return new Promise<GetAnswer>((resolve, reject) => {
      const reader = new AnswerReader(this.buffer);
      let settled = false;
      const finish = (error: Error | undefined, answer?: GetAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData).off('close', onClose).off('error', onError);
        if (error || !answer || reader.closeAfter) this.drop(socket);
        if (error) reject(error);
        else resolve(answer!);
      };
      const onData = (chunk: Buffer) => {
        try {
          const answer = reader.push(chunk);
          if (answer) finish(undefined, answer);
        } catch (error) {
          finish(error as Error);
        }
      };
      const onClose = () => finish(reader.received === 0 ? new StaleConnection('the connection closed before an answer') : new GetFailure('the answer was cut off', 'network'));
      const onError = (error: Error) => finish(reader.received === 0 ? new StaleConnection(error.message) : new GetFailure(error.message, 'network'));
      const timer = setTimeout(() => finish(new GetFailure(`no answer within ${this.timeoutMs} ms`, 'timeout')), this.timeoutMs);
      socket.on('data', onData).on('close', onClose).on('error', onError);
      socket.write(this.request);
    });
  }

  private drop(socket: Socket): void {
    socket.destroy();
    if (this.socket === socket) this.socket = undefined;
  }
}

/** Nothing at all came back on the connection: it may have been closed while idle. */
class StaleConnection extends GetFailure {
  constructor(message: string) {
    super(message, 'network');
  }
}

const HEADER_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.[01] ([2-5]\d\d)(?: |$)/;

/**
 * Reads one HTTP/1.x answer from the bytes as they arrive, into a fixed buffer (no growth, no
 * copies beyond one per byte). The headers are searched from where the last search
 * stopped and the chunked body is decoded incrementally, so the work is linear in the answer.
 */
class AnswerReader {
  private readonly maxBytes: number;
  /** Bytes received so far. */
  received = 0;
  /** The server said `Connection: close` (or answered HTTP/1.0): do not reuse the connection. */
  closeAfter = false;
  private bodyStart = -1;
  private status = 0;
  private contentLength = -1;
  private chunked: ChunkedBody | undefined;

  /** `buffer`: where the answer is read into; its size is the most accepted. */
  constructor(private readonly buffer: Buffer) {
    this.maxBytes = buffer.length;
  }

  /** Takes the next bytes; returns the answer once complete, throws a GetFailure when it cannot be one. */
  push(chunk: Buffer): GetAnswer | undefined {
    if (this.received + chunk.length > this.maxBytes) throw new GetFailure(`the answer holds more than ${this.maxBytes} bytes`, 'network');
    const searchFrom = Math.max(0, this.received - 3);
    chunk.copy(this.buffer, this.received);
    this.received += chunk.length;
    if (this.bodyStart < 0) {
      const end = this.buffer.subarray(0, this.received).indexOf(HEADER_END, searchFrom);
      if (end < 0) return undefined;
      this.bodyStart = end + HEADER_END.length;
      this.readHead(this.buffer.toString('latin1', 0, end), this.bodyStart);
    }
    const bodyEnd = this.chunked ? this.chunked.feed(this.buffer, this.received) : this.bodyStart + this.contentLength;
    if (bodyEnd < 0 || this.received < bodyEnd) return undefined;
    // One request, one answer: anything after it is not HTTP we understand.
    if (this.received > bodyEnd) throw new GetFailure('the server sent more than one answer', 'network');
    const body = this.chunked ? this.chunked.body(this.buffer) : this.buffer.toString('utf8', this.bodyStart, bodyEnd);
    return { status: this.status, body };
  }

  /** Reads the status line and the framing headers; the body starts at `bodyStart`. */
  private readHead(head: string, bodyStart: number): void {
    let chunked = false;
    const lines = head.split('\r\n');
    const status = STATUS_LINE.exec(lines[0] ?? '');
    if (!status) throw new GetFailure(`not an HTTP/1.x answer: ${JSON.stringify((lines[0] ?? '').slice(0, 64))}`, 'network');
    this.status = Number(status[1]);
    this.closeAfter = (lines[0] ?? '').startsWith('HTTP/1.0');
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new GetFailure('a malformed header line in the answer', 'network');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') {
        if (!/^\d{1,9}$/.test(value) || (this.contentLength >= 0 && this.contentLength !== Number(value))) throw new GetFailure('a malformed Content-Length in the answer', 'network');
        this.contentLength = Number(value);
      } else if (name === 'transfer-encoding') {
        if (value !== 'chunked') throw new GetFailure(`an unsupported Transfer-Encoding "${value.slice(0, 32)}" in the answer`, 'network');
        chunked = true;
      } else if (name === 'connection') {
        this.closeAfter = value.split(',').some((token) => token.trim() === 'close');
      }
    }
    if (chunked && this.contentLength >= 0) throw new GetFailure('an answer with both Content-Length and chunked framing', 'network');
    if (!chunked && this.contentLength < 0) throw new GetFailure('an answer without Content-Length or chunked framing', 'network');
    if (chunked) this.chunked = new ChunkedBody(bodyStart, this.maxBytes);
  }
}

/** Longest chunk-size line accepted (size plus extensions). */
const MAX_SIZE_LINE = 64;

/** Chunked transfer coding, decoded as bytes arrive; the decoded body is kept as byte ranges. */
class ChunkedBody {
  private position = 0;
  private phase: 'size' | 'data' | 'crlf' | 'last' | 'done' = 'size';
  /** Data bytes left in the current chunk. */
  private remaining = 0;
  private readonly ranges: [number, number][] = [];

  constructor(
    start: number,
    private readonly maxBytes: number,
  ) {
    this.position = start;
  }

  /** Decodes what arrived; returns where the answer ends once the last chunk is in, else -1. */
  feed(buffer: Buffer, received: number): number {
    for (;;) {
      switch (this.phase) {
        case 'size': {
          const lineEnd = buffer.subarray(0, received).indexOf('\r\n', this.position, 'latin1');
          if (lineEnd < 0) {
            if (received - this.position > MAX_SIZE_LINE) throw new GetFailure('a malformed chunk size in the answer', 'network');
            return -1;
          }
          const size = /^([0-9a-fA-F]{1,6})(?:;[^\r\n]*)?$/.exec(buffer.toString('latin1', this.position, lineEnd));
          if (!size) throw new GetFailure('a malformed chunk size in the answer', 'network');
          this.remaining = parseInt(size[1]!, 16);
          if (this.remaining > this.maxBytes) throw new GetFailure(`the answer holds more than ${this.maxBytes} bytes`, 'network');
          this.position = lineEnd + 2;
          this.phase = this.remaining === 0 ? 'last' : 'data';
          break;
        }
        case 'data': {
          const take = Math.min(this.remaining, received - this.position);
          if (take === 0) return -1;
          this.ranges.push([this.position, this.position + take]);
          this.position += take;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = 'crlf';
          break;
        }
        case 'crlf':
        case 'last': {
          // After each chunk's data, and after the last (empty) chunk where trailers would go: CRLF.
          if (received - this.position < 2) return -1;
          if (buffer.toString('latin1', this.position, this.position + 2) !== '\r\n') {
            throw new GetFailure(this.phase === 'last' ? 'trailers after the last chunk are not supported' : 'a chunk without its CRLF', 'network');
          }
          this.position += 2;
          this.phase = this.phase === 'last' ? 'done' : 'size';
          break;
        }
        case 'done':
          return this.position;
      }
    }
  }

  /** The decoded body as text. */
  body(buffer: Buffer): string {
    return Buffer.concat(this.ranges.map(([from, to]) => buffer.subarray(from, to))).toString('utf8');
  }
}
