import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthProbe, parseHealth } from './health-probe';

describe('parseHealth', () => {
  it('takes a body with the three booleans, refuses anything else', () => {
    expect(parseHealth('{"initialized":true,"sealed":false,"standby":true,"version":"2.7.2"}')).toMatchObject({ standby: true });
    for (const body of ['', 'null', '[]', '{"initialized":true,"sealed":"no","standby":false}', '{"sealed":true}', '<html>']) expect(parseHealth(body)).toBeUndefined();
  });
});

// Edge cases a real Vault does not produce on demand: a huge answer, a non-health answer, no answer.
describe('HealthProbe against a local HTTP server', () => {
  let server: Server;
  let address = '';
  let connections = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/hang/v1/sys/health') return;
      if (request.url === '/big/v1/sys/health') return void response.end('x'.repeat(100_000));
      if (request.url === '/html/v1/sys/health') return void response.writeHead(502).end('<html>bad gateway</html>');
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"initialized":true,"sealed":true,"standby":true}');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers the body whatever the status, over one kept-alive connection', async () => {
    const probe = new HealthProbe(address, 5_000);
    const before = connections;
    for (let i = 0; i < 5; i++) expect(await probe.health()).toEqual({ initialized: true, sealed: true, standby: true });
    expect(connections - before).toBe(1);
    probe.close();
  });

  it.each([
    ['/big', /more than 16384 bytes/, 'network'],
    ['/html', /HTTP 502: the answer is not a health status/, 'invalid-response'],
    ['/hang', /no answer within 200 ms/, 'timeout'],
  ])('%s: a VaultError saying what was wrong', async (path, message, code) => {
    const probe = new HealthProbe(`${address}${path}`, 200);
    await expect(probe.health()).rejects.toMatchObject({ message: expect.stringMatching(message), code });
    probe.close();
  });
});
