import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { GetFailure, KeptAliveGet } from './kept-alive-get';

const HEALTH = '{"initialized":true,"sealed":false,"standby":false}';

/**
 * A raw TCP server: each request line gets the bytes `answer(path)` returns, written in the
 * given pieces (to test answers split anywhere). Counts connections.
 */
async function rawServer(answer: (path: string, socket: Socket) => (string | Buffer)[] | undefined): Promise<{ url: (path: string) => URL; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let pending = '';
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        const path = /^GET (\S+)/.exec(pending)?.[1] ?? '';
        pending = pending.slice(end + 4);
        for (const piece of answer(path, socket) ?? []) socket.write(piece);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: (path) => new URL(`http://127.0.0.1:${port}${path}`), connections: () => connections, server };
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const chunked = (...chunks: string[]) => `HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('')}0\r\n\r\n`;

describe('KeptAliveGet', () => {
  let server: Awaited<ReturnType<typeof rawServer>>;
  beforeAll(async () => {
    server = await rawServer((path, socket) => {
      switch (path) {
        case '/split':
          // Every byte on its own: the headers' end and the body arrive in pieces.
          return [...Buffer.from(ok(HEALTH))].map((byte) => Buffer.from([byte]));
        case '/chunked':
          return [chunked('{"initialized":true,', '"sealed":true,"standby":true}')];
        case '/close':
          return [ok(HEALTH, 'Connection: close\r\n')];
        case '/close-idle':
          // Answers, then closes the idle connection shortly after, as a server's idle timeout does.
          setTimeout(() => socket.end(), 20);
          return [ok(HEALTH)];
        case '/no-length':
          return [`HTTP/1.1 200 OK\r\n\r\n${HEALTH}`];
        case '/two':
          return [ok(HEALTH) + ok(HEALTH)];
        case '/garbage':
          return ['SSH-2.0-OpenSSH_9.2\r\n\r\n'];
        case '/bad-chunk':
          return ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'];
        case '/endless-chunk-line':
          return [`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(200)}`];
        case '/both':
          return [`HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}`];
        case '/gzip':
          return ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'];
        case '/huge':
          return [`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100_000)}`];
        case '/hang':
          return [];
        default:
          return [ok(HEALTH)];
      }
    });
  });
  afterAll(() => new Promise((resolve) => server.server.close(resolve)));

  it('asks again and again over one connection', async () => {
    const get = new KeptAliveGet(server.url('/v1/sys/health'), 5_000, 16_384);
    const before = server.connections();
    for (let i = 0; i < 5; i++) expect(await get.get()).toEqual({ status: 200, body: HEALTH });
    expect(server.connections() - before).toBe(1);
    get.close();
  });

  it('reads an answer that arrives a byte at a time', async () => {
    const get = new KeptAliveGet(server.url('/split'), 5_000, 16_384);
    expect(await get.get()).toEqual({ status: 200, body: HEALTH });
    get.close();
  });

  it('decodes a chunked answer', async () => {
    const get = new KeptAliveGet(server.url('/chunked'), 5_000, 16_384);
    expect(await get.get()).toEqual({ status: 503, body: '{"initialized":true,"sealed":true,"standby":true}' });
    expect(await get.get()).toEqual({ status: 503, body: '{"initialized":true,"sealed":true,"standby":true}' });
    get.close();
  });

  it('opens a new connection after Connection: close, and after the server closed an idle one', async () => {
    for (const path of ['/close', '/close-idle']) {
      const get = new KeptAliveGet(server.url(path), 5_000, 16_384);
      const before = server.connections();
      for (let i = 0; i < 3; i++) {
        expect(await get.get()).toEqual({ status: 200, body: HEALTH });
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      expect(server.connections() - before).toBe(3);
      get.close();
    }
  });

  it.each([
    ['/no-length', /without Content-Length or chunked framing/],
    ['/two', /more than one answer/],
    ['/garbage', /not an HTTP\/1.x answer: "SSH-2.0-OpenSSH_9.2"/],
    ['/bad-chunk', /malformed chunk size/],
    ['/endless-chunk-line', /malformed chunk size/],
    ['/both', /both Content-Length and chunked/],
    ['/gzip', /unsupported Transfer-Encoding "gzip, chunked"/],
    ['/huge', /holds more than 16384 bytes/],
  ])('%s: fails naming what is wrong, and drops the connection', async (path, message) => {
    const get = new KeptAliveGet(server.url(path), 5_000, 16_384);
    const before = server.connections();
    for (let i = 0; i < 2; i++) await expect(get.get()).rejects.toEqual(expect.objectContaining({ code: 'network', message: expect.stringMatching(message) }));
    expect(server.connections() - before).toBe(2);
    get.close();
  });

  it('gives up after the timeout', async () => {
    const get = new KeptAliveGet(server.url('/hang'), 100, 16_384);
    const failure = await get.get().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GetFailure);
    expect(failure).toMatchObject({ code: 'timeout', message: 'no answer within 100 ms' });
    get.close();
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = await rawServer(() => []);
    const url = closed.url('/');
    await new Promise((resolve) => closed.server.close(resolve));
    const get = new KeptAliveGet(url, 5_000, 16_384);
    await expect(get.get()).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});
