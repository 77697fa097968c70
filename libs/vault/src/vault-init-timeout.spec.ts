import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VaultClient } from './vault-client';

// A stand-in HTTP endpoint (not a Vault): it only delays its answers, so the test can tell
// the polling timeout from the init timeout.
describe('VaultClient timeouts', () => {
  let server: Server;
  let address = '';
  const delayMs = 400;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        const body = request.url === '/v1/sys/init' ? { keys: ['aa'], keys_base64: ['qg=='], root_token: 'r' } : { sealed: true, initialized: false, t: 0, n: 0, progress: 0, type: 'shamir' };
        response.end(JSON.stringify(body));
      }, delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives up on a slow seal-status after the polling timeout', async () => {
    await expect(new VaultClient({ address, timeoutMs: 100 }).sealStatus()).rejects.toMatchObject({ code: 'timeout' });
  });

  it('waits for a slow init far past the polling timeout, because an abandoned init loses its shares', async () => {
    await expect(new VaultClient({ address, timeoutMs: 100 }).init({ secret_shares: 1, secret_threshold: 1 })).resolves.toMatchObject({ root_token: 'r' });
  });
});
