import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { upstreamServer } from '../upstream-server';
import { UpstreamPool } from './upstream-pool';

/** A TCP server on 127.0.0.1 that keeps the sockets it accepted, so the test can act as the peer. */
async function peer(): Promise<{ server: Server; accepted: Socket[]; port: number }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, accepted, port: (server.address() as AddressInfo).port };
}

const until = async (what: string, check: () => boolean) => {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 10))) if (Date.now() - started > 10_000) throw new Error(`timed out: ${what}`);
};

describe('UpstreamPool', () => {
  it('hands a given connection back out, and drops an idle one the peer closes or writes to', async () => {
    const { server, accepted, port } = await peer();
    const target = upstreamServer('127.0.0.1', port, 8600);
    const pool = new UpstreamPool();
    const taken: Socket[] = [];
    const take = () => {
      const connection = pool.take(target);
      taken.push(connection.socket.on('error', () => undefined));
      return connection;
    };
    try {
      const first = take();
      expect(first.reused).toBe(false);
      await until('connected', () => accepted.length === 1);
      pool.give(target, first.socket);
      const again = take();
      expect(again).toEqual({ socket: first.socket, reused: true });

      // Carrying a request, bytes from the peer belong to the attempt: the pool leaves them alone.
      const seen: string[] = [];
      again.socket.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
      accepted[0]?.write('answer');
      await until('answer read', () => seen.length === 1);
      expect(again.socket.destroyed).toBe(false);

      // Idle again: unsolicited bytes make it unusable, and it is not handed out.
      pool.give(target, again.socket);
      accepted[0]?.write('nobody asked');
      await until('destroyed', () => again.socket.destroyed);
      const second = take();
      expect(second.reused).toBe(false);

      // An idle connection the peer closes is dropped as well.
      await until('second connection', () => accepted.length === 2);
      pool.give(target, second.socket);
      accepted[1]?.end();
      await until('closed', () => second.socket.destroyed);
      expect(take().reused).toBe(false);
    } finally {
      pool.close();
      for (const socket of [...taken, ...accepted]) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
