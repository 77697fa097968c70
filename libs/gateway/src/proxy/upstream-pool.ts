import { connect, type Socket } from 'node:net';
import type { UpstreamServer } from '../upstream-server';

/** A connection to one Consul server, as an attempt gets it from the pool. */
export interface PooledConnection {
  socket: Socket;
  /** True when the connection carried a request before (it is established). */
  reused: boolean;
}

const idleHandlers = new WeakMap<Socket, () => void>();

/**
 * Keep-alive connections to the Consul servers, per server id, most recently used first (the
 * warmest connection, and idle ones at the bottom age out when the server closes them). An
 * idle connection that closes or sends anything is dropped. Idle connections never keep the
 * process alive.
 */
export class UpstreamPool {
  private readonly idle = new Map<string, Socket[]>();

  constructor(private readonly maxIdlePerServer = 512) {}

  /** An idle connection to `server`, or a new one (still connecting). */
  take(server: UpstreamServer): PooledConnection {
    const stack = this.idle.get(server.id);
    while (stack && stack.length > 0) {
      const socket = stack.pop() as Socket;
      const onIdleEvent = idleHandlers.get(socket);
      if (onIdleEvent) {
        socket.off('close', onIdleEvent).off('data', onIdleEvent).off('error', onIdleEvent);
        idleHandlers.delete(socket);
      }
      if (socket.destroyed) continue;
      socket.ref();
      return { socket, reused: true };
    }
    // Small requests and answers must not wait for Nagle's algorithm (40 ms stalls).
    return { socket: connect({ host: server.host, port: server.httpPort, noDelay: true }), reused: false };
  }

  /** Returns a connection whose last response ended cleanly; it carries the next request. */
  give(server: UpstreamServer, socket: Socket): void {
    let stack = this.idle.get(server.id);
    if (!stack) this.idle.set(server.id, (stack = []));
    if (stack.length >= this.maxIdlePerServer || socket.destroyed) return void socket.destroy();
    const onIdleEvent = () => {
      // Closed by the server, or bytes nobody asked for: either way it cannot carry a request.
      socket.destroy();
      const at = stack.indexOf(socket);
      if (at >= 0) stack.splice(at, 1);
      idleHandlers.delete(socket);
    };
    idleHandlers.set(socket, onIdleEvent);
    socket.on('close', onIdleEvent).on('data', onIdleEvent).on('error', onIdleEvent);
    socket.unref();
    stack.push(socket);
  }

  /** Closes every idle connection of a server (it was declared lost). */
  drop(serverId: string): void {
    for (const socket of this.idle.get(serverId) ?? []) socket.destroy();
    this.idle.delete(serverId);
  }

  /** Closes every idle connection. */
  close(): void {
    for (const id of [...this.idle.keys()]) this.drop(id);
  }
}
