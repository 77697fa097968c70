import { ResponseReader, MAX_RESPONSE_HEAD_BYTES, type ResponseHead } from './response-reader';

interface Outcome {
  head?: ResponseHead;
  body: string;
  end?: boolean;
  error?: string;
}

/** Feeds `bytes` in pieces of `step` bytes (every split point is a case), then the close if asked. */
function read(bytes: string, { step = bytes.length, head = false, close = false } = {}): Outcome {
  const outcome: Outcome = { body: '' };
  const reader = new ResponseReader(head, {
    head: (parsed) => (outcome.head = parsed),
    body: (chunk) => (outcome.body += chunk.toString('latin1')),
    end: (reusable) => (outcome.end = reusable),
    error: (detail) => (outcome.error = detail),
  });
  const buffer = Buffer.from(bytes, 'latin1');
  for (let offset = 0; offset < buffer.length; offset += step) reader.push(buffer.subarray(offset, offset + step));
  if (close) reader.closed();
  return outcome;
}

const KV = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Consul-Index: 7\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nC\r\n consul-wide\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ResponseReader', () => {
  it.each([1, 2, 3, 7, 1000])('reads a Content-Length answer split every %i bytes, headers raw and in order', (step) => {
    expect(read(KV, { step })).toEqual({
      head: { status: 200, message: 'OK', headers: ['Content-Type', 'application/json', 'X-Consul-Index', '7', 'Content-Length', '5'], endToEnd: ['Content-Type', 'application/json', 'X-Consul-Index', '7', 'Content-Length', '5'], leaderUnknown: false },
      body: 'hello',
      end: true,
    });
  });

  it.each([
    ['hop-by-hop headers', 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-A: 1\r\n', ['X-A', '1']],
    ['headers a Connection header names, even before it', 'X-Drop: 1\r\nX-A: 1\r\nConnection: X-Drop\r\n', ['X-A', '1']],
  ])('leaves %s out of the end-to-end headers', (_name, lines, endToEnd) => {
    expect(read(`HTTP/1.1 200 OK\r\n${lines}Content-Length: 0\r\n\r\n`).head?.endToEnd).toEqual([...endToEnd, 'Content-Length', '0']);
  });

  it.each([
    ['false', true],
    ['true', false],
  ])('reads X-Consul-KnownLeader: %s', (value, leaderUnknown) => {
    expect(read(`HTTP/1.1 200 OK\r\nX-Consul-Knownleader: ${value}\r\nContent-Length: 0\r\n\r\n`).head?.leaderUnknown).toBe(leaderUnknown);
  });

  it('marks the piece that completes a Content-Length body as the last one', () => {
    const pieces: boolean[] = [];
    const reader = new ResponseReader(false, { head: () => undefined, body: (_chunk, last) => pieces.push(last), end: () => undefined, error: () => undefined });
    const bytes = Buffer.from(KV, 'latin1');
    reader.push(bytes.subarray(0, bytes.length - 2));
    reader.push(bytes.subarray(bytes.length - 2));
    expect(pieces).toEqual([false, true]);
  });

  it.each([1, 4, 1000])('decodes a chunked answer split every %i bytes, dropping extensions and trailers', (step) => {
    expect(read(CHUNKED, { step })).toMatchObject({ body: 'hello consul-wide', end: true });
  });

  it.each([
    ['a HEAD answer', 'HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 10\r\n\r\n', true, '', true],
    ['a 204', 'HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n', false, '', true],
    ['an interim 100 before the answer', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', false, 'ok', true],
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', false, 'ok', false],
    ['HTTP/1.0', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', false, 'ok', false],
  ])('ends %s with the right body and reuse', (_name, bytes, head, body, reusable) => {
    expect(read(bytes, { head })).toMatchObject({ body, end: reusable });
  });

  it('reads a body without length until the connection closes, and never reuses it', () => {
    const open = read('HTTP/1.1 200 OK\r\n\r\nstreamed log lines');
    expect(open).toMatchObject({ body: 'streamed log lines' });
    expect(open.end).toBeUndefined();
    expect(read('HTTP/1.1 200 OK\r\n\r\nstreamed', { close: true })).toMatchObject({ body: 'streamed', end: false });
  });

  it.each([
    ['a garbage status line', 'SSH-2.0-OpenSSH\r\n\r\n', /status line/],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n', /Content-Length/],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx', /Content-Length/],
    ['a folded header', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n', /header line/],
    ['a control byte in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 0\r\n\r\n', /header line/],
    ['a bare LF in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\nInjected: 1\r\nContent-Length: 0\r\n\r\n', /header line/],
    ['a space in a header name', 'HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n', /header line/],
    ['a control byte in the reason phrase', 'HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n', /status line/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
    ['a chunk without CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX', /CRLF/],
    ['an endless chunk-size line', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'0'.repeat(10_000)}`, /too long/],
    ['an endless head', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_RESPONSE_HEAD_BYTES + 10)}`, /larger than/],
    ['a switch of protocols', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', /101/],
  ])('fails on %s, naming what was wrong', (_name, bytes, error) => {
    expect(read(bytes).error).toMatch(error);
  });

  it('fails an answer cut off by the connection closing', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf', { close: true })).toMatchObject({ body: 'half', error: 'connection closed mid-response' });
    expect(read('HTTP/1.1 2', { close: true })).toMatchObject({ error: 'connection closed before a response' });
  });

  it('does not reuse a connection that sent bytes past the end of the answer', () => {
    expect(read(`${KV}HTTP/1.1 200 OK\r\n`)).toMatchObject({ body: 'hello', end: false });
  });
});
