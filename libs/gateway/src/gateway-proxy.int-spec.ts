import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { consulCall as call, startConsulCluster, waitFor, type ConsulCluster, type ConsulClusterMember } from '@opzero/testing';
import { exchangeTcp } from './dns/dns-exchange';
import type { Gateway } from './gateway';
import { dnsQuery, startTestGateway } from './test/start-test-gateway';
import { upstreamServer } from './upstream-server';

/** Sends raw bytes and collects what comes back until the gateway closes the connection. */
function raw(port: number, bytes: string | Buffer, { endAfterMs }: { endAfterMs?: number } = {}): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    socket.on('error', reject);
    socket.write(bytes);
    if (endAfterMs !== undefined) setTimeout(() => socket.destroy(), endAfterMs);
  });
}

const inFlight = (gateway: Gateway) => gateway.servers.status().reduce((sum, row) => sum + row.inFlight, 0);

describe('consul-gateway HTTP and DNS against real Consul', () => {
  let cluster: ConsulCluster;
  let gateway: Gateway;
  let member: ConsulClusterMember;

  beforeAll(async () => {
    cluster = await startConsulCluster(1);
    member = cluster.members[0] as ConsulClusterMember;
    // Short client-side limits, so the test shows they bound clients and never cut upstream waits.
    gateway = await startTestGateway(member, { http: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_000, maxHeaderBytes: 8 * 1024 } });
    const deadline = Date.now() + 30_000;
    while (!gateway.servers.leader() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('passes verbs, Consul headers and a large streamed body both ways', async () => {
    const value = Buffer.alloc(300 * 1024, 'consul-gateway ');
    const put = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${gateway.httpAddress}/v1/kv/proxy/large`, { method: 'PUT' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // Chunked upload in pieces: the gateway streams it, it does not need a Content-Length.
      for (let offset = 0; offset < value.length; offset += 64 * 1024) req.write(value.subarray(offset, offset + 64 * 1024));
      req.end();
    });
    expect(put).toEqual({ status: 200, body: 'true' });
    const get = await fetch(`${gateway.httpAddress}/v1/kv/proxy/large?raw`);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(value)).toBe(true);
    expect(get.headers.get('x-consul-knownleader')).toBe('true');
    expect(Number(get.headers.get('x-consul-index'))).toBeGreaterThan(0);

    const head = await fetch(`${gateway.httpAddress}/v1/kv/proxy/large`, { method: 'HEAD' });
    expect(head.status).toBe(405); // Consul's own answer to HEAD on KV, passed on
    const txn = await fetch(`${gateway.httpAddress}/v1/txn`, { method: 'PUT', body: JSON.stringify([{ KV: { Verb: 'get', Key: 'proxy/large' } }]) });
    expect(txn.status).toBe(200);
    const removed = await fetch(`${gateway.httpAddress}/v1/kv/proxy/large`, { method: 'DELETE' });
    expect(await removed.text()).toBe('true');
    const missing = await fetch(`${gateway.httpAddress}/v1/kv/proxy/large`);
    expect(missing.status).toBe(404); // Consul's own answer, passed on
  });

  it('keeps a blocking query open past every client-side timeout of the gateway', async () => {
    const first = await call(gateway.httpAddress, 'PUT', '/v1/kv/proxy/blocking', 'a');
    expect(first.status).toBe(200);
    const index = Number((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/blocking')).headers['x-consul-index']);
    const started = Date.now();
    // headersTimeout and requestTimeout are 1 s here; the query waits 3 s on Consul.
    const answer = await call(gateway.httpAddress, 'GET', `/v1/kv/proxy/blocking?index=${index}&wait=3s`);
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  });

  it('streams /v1/agent/monitor until the client leaves, then frees the upstream request', async () => {
    const lines = await new Promise<string>((resolve, reject) => {
      const req = request(`${gateway.httpAddress}/v1/agent/monitor?loglevel=trace`, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
          if (text.length > 0) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
      // The monitor only writes when the agent logs: make it log.
      setTimeout(() => void call(gateway.httpAddress, 'PUT', '/v1/kv/proxy/monitor', 'x'), 300);
    });
    expect(lines.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inFlight(gateway)).toBe(0);
  });

  it.each([
    ['a malformed request line', 'NOT A REQUEST\r\n\r\n', /^HTTP\/1\.1 400/],
    ['an oversized header', `GET /v1/kv/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(16 * 1024)}\r\n\r\n`, /^HTTP\/1\.1 431/],
    ['a bad Content-Length', 'PUT /v1/kv/x HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n', /^HTTP\/1\.1 400/],
    ['Content-Length beside Transfer-Encoding (smuggling)', 'PUT /v1/kv/proxy/smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /^HTTP\/1\.1 400/],
    ['a header value with a control byte', 'GET /v1/kv/x HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n', /^HTTP\/1\.1 400/],
    ['a bad chunk size in the body', 'PUT /v1/kv/proxy/badchunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /^HTTP\/1\.1 400/],
  ])('answers %s with a 4xx and closes', async (_name, bytes, status) => {
    const { text } = await raw(gateway.httpPort, bytes);
    expect(text).toMatch(status);
    expect((await call(gateway.httpAddress, 'GET', '/v1/status/leader')).status).toBe(200);
  });

  it('writes nothing for requests refused as malformed', async () => {
    expect((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/smuggled')).status).toBe(404);
    expect((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/badchunk')).status).toBe(404);
  });

  it('disconnects a client that sends its body too slowly, writing nothing', async () => {
    // requestTimeout is 1 s here: three of ten promised bytes, then silence.
    const { closedAfterMs } = await raw(gateway.httpPort, 'PUT /v1/kv/proxy/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc', { endAfterMs: 60_000 });
    expect(closedAfterMs).toBeLessThan(60_000); // the gateway closed it, not our fallback
    await waitFor('nothing in flight', async () => (inFlight(gateway) === 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/slow')).status).toBe(404);
  }, 90_000);

  it('disconnects a client that never finishes its request head', async () => {
    const { closedAfterMs, text } = await raw(gateway.httpPort, 'GET /v1/kv/x HTTP/1.1\r\nHost: x\r\n');
    expect(closedAfterMs).toBeLessThan(10_000);
    expect(text === '' || /^HTTP\/1\.1 408/.test(text)).toBe(true);
  });

  it('survives clients that vanish mid-upload and mid-wait, leaving nothing in flight', async () => {
    await raw(gateway.httpPort, 'PUT /v1/kv/proxy/partial HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nonly-a-little', { endAfterMs: 200 });
    const index = Number((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/blocking')).headers['x-consul-index']);
    await raw(gateway.httpPort, `GET /v1/kv/proxy/blocking?index=${index}&wait=60s HTTP/1.1\r\nHost: x\r\n\r\n`, { endAfterMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inFlight(gateway)).toBe(0);
    expect((await call(gateway.httpAddress, 'GET', '/v1/kv/proxy/partial')).status).toBe(404);
  });

  it('forwards Consul DNS over UDP and TCP, and drops garbage', async () => {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${gateway.dnsPort}`]);
    expect(await resolver.resolve4('consul.service.consul')).toContain('127.0.0.1');
    const viaTcp = await exchangeTcp(upstreamServer('127.0.0.1', gateway.httpPort, gateway.dnsPort as number), dnsQuery('consul.service.consul', 0x4242), 2_000);
    expect(viaTcp.readUInt16BE(0)).toBe(0x4242);
    expect(viaTcp.readUInt16BE(2) & 0x000f).toBe(0); // NOERROR
    expect(viaTcp.readUInt16BE(6)).toBeGreaterThan(0); // answers
    const { createSocket } = await import('node:dgram');
    const junk = createSocket('udp4');
    await new Promise<void>((resolve) => junk.send(Buffer.from([1, 2, 3]), gateway.dnsPort as number, '127.0.0.1', () => resolve()));
    junk.close();
    expect(await resolver.resolve4('consul.service.consul')).toContain('127.0.0.1');
  });
});

describe('consul-gateway DNS under hostile input', () => {
  let cluster: ConsulCluster;
  let gateway: Gateway;
  const framed = (message: Buffer) => Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
  const resolves = async () => {
    const resolver = new Resolver({ timeout: 3_000, tries: 2 });
    resolver.setServers([`127.0.0.1:${gateway.dnsPort}`]);
    return resolver.resolve4('consul.service.consul');
  };

  beforeAll(async () => {
    cluster = await startConsulCluster(1);
    gateway = await startTestGateway(cluster.members[0] as ConsulClusterMember);
    await waitFor('gateway leader', async () => (gateway.servers.leader() ? true : undefined), { timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('keeps answering after UDP messages that are headers followed by garbage', async () => {
    const { createSocket } = await import('node:dgram');
    const junk = createSocket('udp4');
    for (const size of [12, 13, 100, 512, 4096]) {
      const message = Buffer.alloc(size, 0xff);
      message.writeUInt16BE(size, 0);
      await new Promise<void>((resolve) => junk.send(message, gateway.dnsPort as number, '127.0.0.1', () => resolve()));
    }
    junk.close();
    expect(await resolves()).toContain('127.0.0.1');
  });

  it.each([
    ['a message shorter than a DNS header', framed(Buffer.from([1, 2, 3, 4, 5]))],
    ['more pipelined queries than allowed at once', Buffer.concat(Array.from({ length: 200 }, (_, i) => framed(dnsQuery('consul.service.consul', i))))],
    ['half a message, then silence', Buffer.concat([Buffer.from([0, 40]), Buffer.alloc(10)])],
  ])('closes a TCP connection carrying %s, and keeps answering others', async (_name, bytes) => {
    // tcpIdleTimeoutMs is 10 s in the test gateway; 60 s is our own fallback.
    const { closedAfterMs } = await raw(gateway.dnsPort as number, bytes, { endAfterMs: 60_000 });
    expect(closedAfterMs).toBeLessThan(60_000);
    expect(await resolves()).toContain('127.0.0.1');
  }, 90_000);
});

describe('consul-gateway with no reachable server', () => {
  it('answers HTTP 503 and DNS SERVFAIL after the bounded hold', async () => {
    const nowhere = { name: 'nowhere', httpPort: 1, dnsPort: 1 } as ConsulClusterMember;
    const gateway = await startTestGateway(nowhere, { http: { holdTimeoutMs: 500 } });
    try {
      const answer = await call(gateway.httpAddress, 'GET', '/v1/kv/anything');
      expect(answer.status).toBe(503);
      expect(answer.body).toMatch(/no Consul leader known within 500 ms/);
      const viaTcp = await exchangeTcp(upstreamServer('127.0.0.1', gateway.httpPort, gateway.dnsPort as number), dnsQuery('consul.service.consul', 7), 5_000);
      expect(viaTcp.readUInt16BE(2) & 0x000f).toBe(2); // SERVFAIL
    } finally {
      await gateway.stop();
    }
  });
});
