import { connect, type Socket } from 'node:net';
import type { UpstreamServer } from '../upstream-server';

/** A connection to one Consul server, as an attempt gets it from the pool. */
export interface PooledConnection {
  socket: Socket;
  /** True when the connection carried a request before (it is established). */
  reused: boolean;
}

/**
 * Keep-alive connections to the Consul servers, per server id, most recently used first (the
 * warmest connection, and idle ones at the bottom age out when the server closes them). An
 * idle connection that closes or sends anything is dropped. Idle connections never keep the
 * process alive.
 */
export class UpstreamPool {
  private readonly idle = new Map<string, Socket[]>();
  /** Sockets that have their idle watch attached (once per socket, not per request). */
  private readonly watched = new WeakSet<Socket>();
  /** Idle sockets, with the stack each one sits on. */
  private readonly idleOn = new WeakMap<Socket, Socket[]>();

  constructor(private readonly maxIdlePerServer = 512) {}

  /** An idle connection to `server`, or a new one (still connecting). */
  take(server: UpstreamServer): PooledConnection {
    const stack = this.idle.get(server.id);
    while (stack && stack.length > 0) {
      const socket = stack.pop() as Socket;
      this.idleOn.delete(socket);
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
    if (!this.watched.has(socket)) {
      this.watched.add(socket);
      const onEvent = () => this.idleEvent(socket);
      socket.on('close', onEvent).on('data', onEvent).on('error', onEvent);
    }
    this.idleOn.set(socket, stack);
    socket.unref();
    stack.push(socket);
  }

  /** Closed by the server, or bytes nobody asked for, while idle: it cannot carry a request. */
  private idleEvent(socket: Socket): void {
    const stack = this.idleOn.get(socket);
    if (!stack) return; // carrying a request: its attempt handles the event
    this.idleOn.delete(socket);
    socket.destroy();
    const at = stack.indexOf(socket);
    if (at >= 0) stack.splice(at, 1);
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
