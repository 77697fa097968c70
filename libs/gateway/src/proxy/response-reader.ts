import { connectionNamesHeaders, endToEndHeaders, isHopByHop } from './hop-headers';

/** A response head as a Consul server sent it. */
export interface ResponseHead {
  status: number;
  message: string;
  /** Raw `[name, value, name, value...]`, case and order kept. */
  headers: string[];
  /** `headers` without hop-by-hop ones (what goes to the client), found in the same pass. */
  endToEnd: string[];
  /** The server said `X-Consul-KnownLeader: false` (it may be cut off from its leader). */
  leaderUnknown: boolean;
}

/** What a ResponseReader reports, in order: one head, body pieces, then end or error. */
export interface ResponseHandlers {
  head(head: ResponseHead): void;
  /** A piece of the body; `last` when it completes a Content-Length body (end follows at once). */
  body(chunk: Buffer, last: boolean): void;
  /** The response is complete; `reusable` when the connection may carry another request. */
  end(reusable: boolean): void;
  /** The bytes are not an HTTP/1.1 response the gateway can pass on. */
  error(detail: string): void;
}

/** Largest response head (status line and headers) accepted; Consul's are a few hundred bytes. */
export const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;
/** Longest chunk-size or trailer line accepted. */
const MAX_LINE_BYTES = 4 * 1024;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
/** RFC 9110 token characters: a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A byte node:http would refuse to write in a header value (controls other than tab, DEL). */
const BAD_VALUE_BYTE = /[^\t\x20-\x7e\x80-\xff]/;

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close' | 'done' | 'failed';

/**
 * An HTTP/1.1 response parser for the upstream side of the proxy, fed the socket's bytes as
 * they arrive. The peer is a Consul server, yet every field is bounded (head size, line
 * length, hex digits) and checked in one linear pass. Bodies are framed by Content-Length,
 * chunked coding (decoded: the client side re-frames them) or the end of the connection; HEAD
 * answers and 1xx/204/304 have none. Interim 1xx heads are skipped.
 */
export class ResponseReader {
  private state: State = 'head';
  private pending: Buffer | undefined;
  private remaining = 0;
  private keepAlive = true;

  constructor(
    private readonly headRequest: boolean,
    private readonly handlers: ResponseHandlers,
  ) {}

  /** True once a head was reported (bytes of an answer reached the gateway). */
  get answered(): boolean {
    return this.state !== 'head' && this.state !== 'failed';
  }

  /** True when the response ended (end or error was reported). */
  get finished(): boolean {
    return this.state === 'done' || this.state === 'failed';
  }

  /** Feeds bytes read from the connection. */
  push(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    while (data.length > 0 && !this.finished) data = this.step(data);
  }

  /** The connection closed: ends a body framed by the close, fails anything else unfinished. */
  closed(): void {
    if (this.state === 'until-close') this.finish(false);
    else if (!this.finished) this.fail(this.state === 'head' ? 'connection closed before a response' : 'connection closed mid-response');
  }

  /** Consumes a prefix of `data` according to the state; returns the rest. */
  private step(data: Buffer): Buffer {
    switch (this.state) {
      case 'head':
        return this.readHead(data);
      case 'length': {
        const rest = this.passBody(data);
        if (this.remaining === 0) this.finish(this.keepAlive && rest.length === 0);
        return rest;
      }
      case 'chunk-size':
      case 'trailers':
        return this.readLine(data);
      case 'chunk-data': {
        const rest = this.passBody(data);
        if (this.remaining === 0) {
          this.state = 'chunk-crlf';
          this.remaining = 2;
        }
        return rest;
      }
      case 'chunk-crlf': {
        const expected = this.remaining === 2 ? 0x0d : 0x0a;
        if (data[0] !== expected) {
          this.fail('chunk data not followed by CRLF');
          return data;
        }
        if (--this.remaining === 0) this.state = 'chunk-size';
        return data.subarray(1);
      }
      case 'until-close':
        this.handlers.body(data, false);
        return Buffer.alloc(0);
      default:
        // Bytes after a complete response: the connection is out of step, never reused.
        this.fail('bytes after the end of the response');
        return data;
    }
  }

  /** Passes on up to `remaining` bytes of body; returns the rest. */
  private passBody(data: Buffer): Buffer {
    const take = Math.min(this.remaining, data.length);
    this.remaining -= take;
    this.handlers.body(take === data.length ? data : data.subarray(0, take), this.state === 'length' && this.remaining === 0);
    return data.subarray(take);
  }

  private readHead(data: Buffer): Buffer {
    const end = data.indexOf(CRLFCRLF);
    if (end < 0) {
      if (data.length > MAX_RESPONSE_HEAD_BYTES) this.fail(`response head larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
      else this.pending = data;
      return Buffer.alloc(0);
    }
    if (end > MAX_RESPONSE_HEAD_BYTES) {
      this.fail(`response head larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
      return data;
    }
    const lines = data.toString('latin1', 0, end).split('\r\n');
    const status = STATUS_LINE.exec(lines[0] as string);
    if (!status) {
      this.fail('not an HTTP/1.x status line');
      return data;
    }
    const code = Number(status[2]);
    const headers: string[] = [];
    let endToEnd: string[] = [];
    let connectionNames = false;
    let leaderUnknown = false;
    let length: number | undefined;
    let chunked = false;
    let transferCoded = false;
    this.keepAlive = status[1] === '1';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        this.fail('malformed response header line');
        return data;
      }
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      // Passed on to the client as they are: refuse what the client side could not write.
      if (!TOKEN.test(name) || BAD_VALUE_BYTE.test(value)) {
        this.fail('malformed response header line');
        return data;
      }
      headers.push(name, value);
      const lower = name.toLowerCase();
      if (!isHopByHop(lower)) endToEnd.push(name, value);
      if (lower === 'x-consul-knownleader') leaderUnknown = value === 'false';
      else if (lower === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) {
          this.fail('invalid Content-Length in response');
          return data;
        }
        length = Number(value);
      } else if (lower === 'transfer-encoding') {
        transferCoded = true;
        chunked = value.toLowerCase().split(',').at(-1)?.trim() === 'chunked';
      } else if (lower === 'connection') {
        const tokens = value.toLowerCase().split(',').map((token) => token.trim());
        if (tokens.includes('close')) this.keepAlive = false;
        else if (tokens.includes('keep-alive')) this.keepAlive = true;
        connectionNames ||= connectionNamesHeaders(value);
      }
    }
    // Rare: a Connection header naming other headers, which may come before it.
    if (connectionNames) endToEnd = endToEndHeaders(headers);
    const rest = data.subarray(end + 4);
    if (code >= 100 && code < 200) {
      // 101 would switch protocols, which the gateway never asks for.
      if (code === 101) this.fail('unexpected 101 Switching Protocols');
      return rest; // an interim answer: the real head follows
    }
    this.handlers.head({ status: code, message: status[3] ?? '', headers, endToEnd, leaderUnknown });
    if (this.headRequest || code === 204 || code === 304) this.finish(this.keepAlive && rest.length === 0);
    else if (transferCoded && chunked) this.state = 'chunk-size';
    else if (transferCoded || length === undefined) {
      this.state = 'until-close';
      this.keepAlive = false;
    } else if (length === 0) this.finish(this.keepAlive && rest.length === 0);
    else {
      this.state = 'length';
      this.remaining = length;
    }
    return rest;
  }

  /** A chunk-size line or a trailer line; both end in CRLF and are bounded. */
  private readLine(data: Buffer): Buffer {
    const end = data.indexOf('\r\n');
    if (end < 0) {
      if (data.length > MAX_LINE_BYTES) this.fail('chunk-size or trailer line too long');
      else this.pending = data;
      return Buffer.alloc(0);
    }
    if (end > MAX_LINE_BYTES) {
      this.fail('chunk-size or trailer line too long');
      return data;
    }
    const line = data.toString('latin1', 0, end);
    const rest = data.subarray(end + 2);
    if (this.state === 'trailers') {
      if (line === '') this.finish(this.keepAlive && rest.length === 0);
      return rest; // trailers are not passed on
    }
    const semicolon = line.indexOf(';');
    const hex = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) {
      this.fail('invalid chunk size');
      return data;
    }
    const size = parseInt(hex, 16);
    if (size === 0) this.state = 'trailers';
    else {
      this.state = 'chunk-data';
      this.remaining = size;
    }
    return rest;
  }

  private finish(reusable: boolean): void {
    this.state = 'done';
    this.handlers.end(reusable);
  }

  private fail(detail: string): void {
    this.state = 'failed';
    this.handlers.error(detail);
  }
}
