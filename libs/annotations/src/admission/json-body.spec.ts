import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readJsonBody } from './json-body';

/** A request stream with headers; `send` writes the chunks and ends it. */
function request(headers: Record<string, string>): { req: IncomingMessage; stream: PassThrough } {
  const stream = new PassThrough();
  return { req: Object.assign(stream, { headers }) as unknown as IncomingMessage, stream };
}

const json = { 'content-type': 'application/json' };

describe('readJsonBody', () => {
  it('reads a JSON body sent in several chunks, multi-byte characters split across them', async () => {
    const { req, stream } = request({ ...json, 'content-type': 'application/json; charset=utf-8' });
    const text = Buffer.from(JSON.stringify({ request: { uid: 'ü-1', object: { a: [1, 2] } } }));
    const reading = readJsonBody(req, 1024);
    const split = text.indexOf(0xc3) + 1; // inside the two bytes of ü
    stream.write(text.subarray(0, split));
    stream.end(text.subarray(split));
    expect(await reading).toEqual({ body: { request: { uid: 'ü-1', object: { a: [1, 2] } } } });
  });

  it.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a JSON look-alike', { 'content-type': 'application/jsonx' }],
  ])('refuses %s with 415', async (_name, headers) => {
    const { req } = request(headers);
    expect(await readJsonBody(req, 1024)).toMatchObject({ rejected: { status: 415 } });
  });

  it('refuses a declared length past the limit before reading anything, with 413', async () => {
    const { req, stream } = request({ ...json, 'content-length': '2048' });
    const reading = readJsonBody(req, 1024);
    expect(await reading).toEqual({ rejected: { status: 413, error: 'Payload Too Large', message: 'request body exceeds 1024 bytes' } });
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('refuses a stream that passes the limit without declaring its length, with 413', async () => {
    const { req, stream } = request(json);
    const reading = readJsonBody(req, 1024);
    stream.write(Buffer.alloc(1000, 0x20));
    stream.write(Buffer.alloc(1000, 0x20));
    expect(await reading).toMatchObject({ rejected: { status: 413 } });
    stream.destroy();
  });

  it.each([
    ['not JSON', '{"apiVersion":', /not JSON/],
    ['empty', '', /not JSON/],
    ['a __proto__ key', '{"a":{"b":[{"__proto__":{"x":1}}]}}', /prototype/],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"x":1}}', /prototype/],
    ['a constructor.prototype', '{"constructor":{"prototype":{"x":1}}}', /prototype/],
  ])('refuses a body that is %s with 400', async (_name, text, message) => {
    const { req, stream } = request(json);
    const reading = readJsonBody(req, 1024);
    stream.end(text);
    const result = await reading;
    expect(result).toMatchObject({ rejected: { status: 400, error: 'Bad Request' } });
    expect('rejected' in result && result.rejected.message).toMatch(message);
  });

  it('takes a "constructor" key that is only a value, and JSON nested 100,000 deep', async () => {
    for (const text of ['{"constructor":"x","kind":"constructor"}', `{"a":${'['.repeat(100_000)}"\\u0041"${']'.repeat(100_000)}}`]) {
      const { req, stream } = request(json);
      const reading = readJsonBody(req, 1024 * 1024);
      stream.end(text);
      expect(await reading).toHaveProperty('body');
    }
  });

  it('reports a client that goes away mid-body as aborted', async () => {
    const { req, stream } = request(json);
    const reading = readJsonBody(req, 1024);
    stream.write('{"apiVersion":');
    stream.destroy();
    expect(await reading).toEqual({ aborted: true });
  });
});
