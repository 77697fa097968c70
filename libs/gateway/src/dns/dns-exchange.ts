import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { UpstreamServer } from '../upstream-server';

/** Smallest valid DNS message: the 12-byte header. */
export const DNS_HEADER_BYTES = 12;

/** Sends one DNS message to a server over UDP and resolves with the answer carrying the same id. */
export function exchangeUdp(server: UpstreamServer, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const done = (error: Error | undefined, answer?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(answer as Buffer);
    };
    const timer = setTimeout(() => done(new Error(`no UDP answer from ${server.host}:${server.dnsPort} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (error) => done(error));
    socket.on('message', (answer) => {
      if (answer.length >= DNS_HEADER_BYTES && answer.readUInt16BE(0) === message.readUInt16BE(0)) done(undefined, answer);
    });
    socket.send(message, server.dnsPort, server.host);
  });
}

/** Sends one DNS message to a server over TCP (2-byte length prefix) and resolves with its answer. */
export function exchangeTcp(server: UpstreamServer, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.dnsPort });
    let received = Buffer.alloc(0);
    const done = (error: Error | undefined, answer?: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer as Buffer);
    };
    const timer = setTimeout(() => done(new Error(`no TCP answer from ${server.host}:${server.dnsPort} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (error) => done(error));
    socket.on('close', () => done(new Error(`${server.host}:${server.dnsPort} closed the TCP connection before answering`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(undefined, received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(message.length);
    socket.write(Buffer.concat([length, message]));
  });
}

/**
 * A SERVFAIL answer to `query` (header only, question not echoed): what the gateway says when
 * no Consul server answered, the DNS counterpart of HTTP 503.
 */
export function servfail(query: Buffer): Buffer {
  const answer = Buffer.alloc(DNS_HEADER_BYTES);
  answer.writeUInt16BE(query.readUInt16BE(0), 0);
  const opcodeAndRd = (query.readUInt8(2) & 0x79) | 0x80; // QR=1, keep opcode and RD
  answer.writeUInt8(opcodeAndRd, 2);
  answer.writeUInt8(0x80 | 2, 3); // RA=1, RCODE=SERVFAIL
  return answer;
}
