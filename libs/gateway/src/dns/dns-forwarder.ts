import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { ServerSet } from '../server-set';
import type { UpstreamServer } from '../upstream-server';
import { DNS_HEADER_BYTES, exchangeTcp, exchangeUdp, servfail } from './dns-exchange';

export interface DnsForwarderOptions {
  host: string;
  port: number;
  /** Deadline of one exchange with one server; the next healthy server is tried after it. */
  attemptTimeoutMs: number;
  /** Servers tried per query before answering SERVFAIL. */
  maxAttempts: number;
  /** Queries forwarded at once; beyond it UDP queries are dropped (clients retry). */
  maxInFlight: number;
  /** A TCP client idle longer than this is disconnected (RFC 7766 suggests seconds). */
  tcpIdleTimeoutMs: number;
  /** Most queries pipelined on one TCP connection at once. */
  maxPipelined: number;
}

/** Counts the forwarder reports. */
export interface DnsMetrics {
  query(transport: 'udp' | 'tcp', outcome: 'answered' | 'servfail' | 'dropped'): void;
}

/**
 * Consul DNS on one fixed address: UDP and TCP queries forwarded to a healthy server's DNS
 * port (any server: Consul answers DNS from its local state, stale by default), each query
 * tried on up to `maxAttempts` servers, SERVFAIL when none answered. Messages are passed
 * through unparsed apart from the 12-byte header check; a TCP connection carries
 * length-prefixed messages and may pipeline them.
 */
export class DnsForwarder {
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private inFlight = 0;
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly servers: ServerSet,
    private readonly options: DnsForwarderOptions,
    private readonly metrics: DnsMetrics = { query() {} },
  ) {}

  async start(): Promise<void> {
    // With port 0 the UDP socket picks a port whose TCP twin may be taken: pick again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.bind();
      } catch (error) {
        await this.stop();
        if (this.options.port !== 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
      }
    }
  }

  private async bind(): Promise<void> {
    const udp = createSocket(this.options.host.includes(':') ? 'udp6' : 'udp4');
    this.udp = udp;
    udp.on('message', (message, peer) => void this.onUdp(udp, message, peer.address, peer.port));
    udp.on('error', () => undefined); // a failed send to one client concerns that client only
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.options.port, this.options.host, () => resolve());
    });
    const tcp = createServer((socket) => this.onTcp(socket));
    tcp.on('connection', (socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    // TCP on the port UDP got, so port 0 (tests) gives one DNS port for both.
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(udp.address().port, this.options.host, () => resolve());
    });
    this.tcp = tcp;
  }

  /** The bound UDP/TCP port (useful with port 0). */
  port(): number {
    const address = this.udp?.address();
    return address ? address.port : this.options.port;
  }

  private async onUdp(udp: UdpSocket, message: Buffer, address: string, port: number): Promise<void> {
    if (message.length < DNS_HEADER_BYTES || this.inFlight >= this.options.maxInFlight) {
      this.metrics.query('udp', 'dropped');
      return;
    }
    const answer = await this.forward(message, exchangeUdp, 'udp');
    udp.send(answer, port, address);
  }

  private onTcp(socket: Socket): void {
    socket.setTimeout(this.options.tcpIdleTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let pending = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        if (message.length < DNS_HEADER_BYTES || pending >= this.options.maxPipelined) {
          this.metrics.query('tcp', 'dropped');
          socket.destroy();
          return;
        }
        pending++;
        void this.forward(Buffer.from(message), exchangeTcp, 'tcp').then((answer) => {
          pending--;
          if (socket.destroyed) return;
          const length = Buffer.alloc(2);
          length.writeUInt16BE(answer.length);
          socket.write(Buffer.concat([length, answer]));
        });
      }
    });
  }

  private async forward(
    message: Buffer,
    exchange: (server: UpstreamServer, message: Buffer, timeoutMs: number) => Promise<Buffer>,
    transport: 'udp' | 'tcp',
  ): Promise<Buffer> {
    this.inFlight++;
    try {
      const tried = new Set<string>();
      for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
        const server = await this.servers.acquire('any', Date.now() + this.options.attemptTimeoutMs, tried);
        if (!server) break;
        tried.add(server.id);
        try {
          const answer = await exchange(server, message, this.options.attemptTimeoutMs);
          this.metrics.query(transport, 'answered');
          return answer;
        } catch {
          // the next healthy server is tried; HTTP checks decide about the server's health
        }
        if (tried.size >= this.servers.all().length) tried.clear();
      }
      this.metrics.query(transport, 'servfail');
      return servfail(message);
    } finally {
      this.inFlight--;
    }
  }

  async stop(): Promise<void> {
    const { udp, tcp } = this;
    this.udp = undefined;
    this.tcp = undefined;
    try {
      udp?.close();
    } catch {
      // not bound yet (a failed start): nothing to close
    }
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
  }
}
