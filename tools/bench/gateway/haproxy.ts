import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsulClusterMember } from '@opzero/testing';

/** A running HAProxy with two frontends over the same servers. */
export interface HaproxyRun {
  readonly pid: number;
  /** Round-robin over every server: what a fixed-IP HAProxy in front of Consul does. */
  roundRobin: string;
  /** Only the server that led when the bench started (HAProxy cannot follow the leader). */
  leaderOnly: string;
  stop(): Promise<void>;
}

/**
 * HAProxy 2.6 (Debian's `haproxy`, installed by tools/infra/setup.sh) configured like the
 * seed's: `option httpchk GET /v1/status/leader`, status 200 expected, checks every 1 s,
 * connection failures redispatched, server timeout past Consul's 10 min blocking maximum;
 * `threads` threads (the gateway gets as many worker processes).
 */
export async function startHaproxy(members: readonly ConsulClusterMember[], leader: ConsulClusterMember, ports: [number, number], threads: number): Promise<HaproxyRun> {
  const servers = (only?: ConsulClusterMember) =>
    (only ? [only] : members).map((member) => `  server ${member.name} 127.0.0.1:${member.httpPort} check`).join('\n');
  const config = `global
  maxconn 4096
  nbthread ${threads}
defaults
  mode http
  timeout connect 2s
  timeout client 11m
  timeout server 11m
  retries 3
  option redispatch
  option http-keep-alive
  option httpchk GET /v1/status/leader
  http-check expect status 200
  default-server inter 1s fall 3 rise 2
frontend rr
  bind 127.0.0.1:${ports[0]}
  default_backend consul_rr
frontend leader
  bind 127.0.0.1:${ports[1]}
  default_backend consul_leader
backend consul_rr
  balance roundrobin
${servers()}
backend consul_leader
${servers(leader)}
`;
  const file = join(mkdtempSync(join(tmpdir(), 'bench-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // first checks (rise 2 × 1 s)
  if (child.exitCode !== null) throw new Error(`haproxy exited: ${errors}`);
  return {
    pid: child.pid as number,
    roundRobin: `http://127.0.0.1:${ports[0]}`,
    leaderOnly: `http://127.0.0.1:${ports[1]}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
