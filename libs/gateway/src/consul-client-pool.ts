import { ConsulClient } from '@opzero/consul';
import type { UpstreamServer } from './upstream-server';

/** `http://host:port`, IPv6 hosts in brackets. */
export function httpAddress(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** One ConsulClient per upstream server, made on first use and closed together. */
export class ConsulClientPool {
  private readonly clients = new Map<string, ConsulClient>();

  constructor(private readonly options: { timeoutMs: number; token?: string; keepAlive?: boolean }) {}

  for(server: UpstreamServer): ConsulClient {
    let client = this.clients.get(server.id);
    if (!client) {
      client = new ConsulClient({
        address: httpAddress(server.host, server.httpPort),
        timeoutMs: this.options.timeoutMs,
        ...(this.options.keepAlive === false ? { keepAlive: false } : {}),
        ...(this.options.token ? { token: this.options.token } : {}),
      });
      this.clients.set(server.id, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
