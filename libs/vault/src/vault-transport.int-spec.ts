import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { freePort, localCertificateFiles, startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, VaultError } from './index';

interface Pem {
  ca: string;
  cert: string;
  key: string;
}

async function pem(): Promise<Pem> {
  const files = await localCertificateFiles();
  return { ca: files.ca, cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
}

describe('VaultClient TLS, timeouts and environment on a real OpenBao (dev, with an mTLS listener)', () => {
  let server: VaultServer;
  let serverTls: Pem;
  let clientTls: Pem;

  beforeAll(async () => {
    serverTls = await pem();
    clientTls = await pem();
    server = await startVault({ mode: 'dev', tls: { cert: serverTls.cert, key: serverTls.key, clientCa: clientTls.ca } });
  }, 120_000);
  afterAll(() => server?.stop());

  const tlsClient = (tls: ConstructorParameters<typeof VaultClient>[0]['tls']) =>
    new VaultClient({ address: server.tlsAddress!, token: server.token, ...(tls ? { tls } : {}) });

  it('talks HTTPS with our CA and a client certificate', async () => {
    const vault = tlsClient({ ca: serverTls.ca, cert: clientTls.cert, key: clientTls.key });
    await vault.kvWrite('secret', 'tls/ok', { over: 'mtls' });
    expect((await vault.kvRead<{ over: string }>('secret', 'tls/ok')).data.over).toBe('mtls');
  });

  it('fails as a network VaultError without the client certificate, and without our CA', async () => {
    await expect(tlsClient({ ca: serverTls.ca }).sealStatus()).rejects.toMatchObject({ name: 'VaultError', status: 0, code: 'network' });
    await expect(tlsClient({ cert: clientTls.cert, key: clientTls.key }).sealStatus()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('verifies the certificate against servername: localhost is in it, another name is not', async () => {
    const base = { ca: serverTls.ca, cert: clientTls.cert, key: clientTls.key };
    expect((await tlsClient({ ...base, servername: 'localhost' }).sealStatus()).sealed).toBe(false);
    const error = await tlsClient({ ...base, servername: 'vault.elsewhere.example' }).sealStatus().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'network' });
    expect((error as VaultError).message).toMatch(/vault\.elsewhere\.example|altname/i);
  });

  it('skipVerify accepts a certificate no CA vouches for (development only)', async () => {
    expect((await tlsClient({ skipVerify: true, cert: clientTls.cert, key: clientTls.key }).sealStatus()).sealed).toBe(false);
  });

  it('reads nothing from VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE or VAULT_SKIP_VERIFY', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { VAULT_ADDR: `http://127.0.0.1:${await freePort()}`, VAULT_TOKEN: server.token, VAULT_NAMESPACE: 'nowhere', VAULT_SKIP_VERIFY: '1', VAULT_PREFIX: '/x' });
    try {
      const vault = new VaultClient({ address: server.address });
      // With the environment's token this read would succeed; with its address it would not connect.
      await expect(vault.kvRead('secret', 'tls/ok')).rejects.toMatchObject({ status: 403 });
      expect((await vault.withToken(server.token).kvRead<{ over: string }>('secret', 'tls/ok')).data.over).toBe('mtls');
      await expect(tlsClient({ cert: clientTls.cert, key: clientTls.key }).sealStatus()).rejects.toMatchObject({ code: 'network' });
    } finally {
      for (const name of ['VAULT_ADDR', 'VAULT_TOKEN', 'VAULT_NAMESPACE', 'VAULT_SKIP_VERIFY', 'VAULT_PREFIX']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('keeps the token out of errors when the connection fails', async () => {
    const token = server.token;
    const error = await new VaultClient({ address: `http://127.0.0.1:${await freePort()}`, token }).kvRead('secret', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ status: 0, code: 'network', transient: true });
    expect((error as Error).cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain(token);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).stack).not.toContain(token);
  });
});

describe('VaultClient timeout', () => {
  // A listener that accepts and never answers: what a hung Vault looks like on the wire.
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up after timeoutMs with a transient timeout VaultError', async () => {
    const { port } = silent.address() as { port: number };
    const vault = new VaultClient({ address: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    const error = await vault.sealStatus().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VaultError', status: 0, code: 'timeout', transient: true, path: 'sys/seal-status' });
  });
});
