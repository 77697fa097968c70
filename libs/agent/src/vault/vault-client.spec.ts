import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { localCertificateFiles } from '@opzero/testing';
import type { VaultConnectionConfig } from '../config/agent-config';
import { VaultClient, VaultError } from './vault-client';

// The agent's own HTTP client against local HTTPS servers (TLS options, headers, retries,
// HTTPS_PROXY): these servers check the client's behaviour, they do not stand in for Vault.
let tls: { ca: string; certFile: string; keyFile: string };
beforeAll(async () => {
  tls = await localCertificateFiles();
});

const seen: Array<{ headers: IncomingMessage['headers']; servername: string | false | null; peerCert: boolean }> = [];
async function httpsServer(handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end('{"ok":true}')): Promise<{ server: Server; port: number }> {
  const server = createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), ca: tls.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    seen.push({ headers: req.headers, servername: socket.servername, peerCert: Object.keys(socket.getPeerCertificate()).length > 0 });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

const config = (port: number, extra: Partial<VaultConnectionConfig> = {}): VaultConnectionConfig => ({ address: `https://127.0.0.1:${port}`, tlsSkipVerify: false, templateRetries: 0, maxRetries: 0, timeoutMs: 5000, ...extra });

afterEach(() => {
  seen.length = 0;
});

describe('VaultClient', () => {
  it('trusts ca_cert, presents the client certificate, sends token and namespace headers', async () => {
    const { server, port } = await httpsServer();
    const client = new VaultClient(config(port, { caCert: tls.certFile, clientCert: tls.certFile, clientKey: tls.keyFile, namespace: 'team-a' }), { keepAlive: false }, {});
    try {
      expect(await client.call({ method: 'GET', path: 'secret/data/x', token: 's.tok' })).toBe('{"ok":true}');
      expect(seen[0]).toMatchObject({ peerCert: true, headers: { 'x-vault-token': 's.tok', 'x-vault-namespace': 'team-a' } });
    } finally {
      client.close();
      server.close();
    }
  });

  it('refuses an untrusted server unless tls_skip_verify, and sends tls_server_name as SNI', async () => {
    const { server, port } = await httpsServer();
    const untrusted = new VaultClient(config(port), { keepAlive: false }, {});
    const skipping = new VaultClient(config(port, { tlsSkipVerify: true, tlsServerName: 'localhost' }), { keepAlive: false }, {});
    try {
      await expect(untrusted.call({ method: 'GET', path: 'x' })).rejects.toThrow(VaultError);
      expect(await skipping.call({ method: 'GET', path: 'x' })).toBe('{"ok":true}');
      expect(seen.at(-1)?.servername).toBe('localhost');
    } finally {
      untrusted.close();
      skipping.close();
      server.close();
    }
  });

  it('retries 5xx up to maxRetries, and its errors name the operation and status but not the token', async () => {
    let calls = 0;
    const { server, port } = await httpsServer((_req, res) => {
      calls++;
      res.statusCode = calls <= 2 ? 503 : 403;
      res.end('{"errors":["permission denied"]}');
    });
    const client = new VaultClient(config(port, { caCert: tls.certFile, maxRetries: 2 }), { keepAlive: true }, {});
    try {
      const error = (await client.call({ method: 'GET', path: 'secret/data/x?version=2', token: 's.super-secret-token' }).catch((e: unknown) => e)) as VaultError;
      expect(calls).toBe(3);
      expect(error.status).toBe(403);
      expect(error.message).toBe('GET /v1/secret/data/x: HTTP 403: permission denied');
      expect(error.message).not.toContain('super-secret');
    } finally {
      client.close();
      server.close();
    }
  });

  it('goes through HTTPS_PROXY with CONNECT, and not for NO_PROXY hosts', async () => {
    const { server, port } = await httpsServer();
    const connects: string[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket) => {
      connects.push(req.url ?? '');
      const [host, p] = (req.url ?? '').split(':');
      const upstream = connect(Number(p), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const viaProxy = new VaultClient(config(port, { caCert: tls.certFile }), { keepAlive: false }, { HTTPS_PROXY: proxyUrl });
    const direct = new VaultClient(config(port, { caCert: tls.certFile }), { keepAlive: false }, { HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    try {
      expect(await viaProxy.call({ method: 'GET', path: 'x' })).toBe('{"ok":true}');
      expect(await direct.call({ method: 'GET', path: 'x' })).toBe('{"ok":true}');
      expect(connects).toEqual([`127.0.0.1:${port}`]);
    } finally {
      viaProxy.close();
      direct.close();
      proxy.close();
      server.close();
    }
  });
});
