import type { Collector } from './collector';

const SOCKETS = ['run/docker.sock', 'var/run/docker.sock'];

/**
 * The Docker daemon, as Ohai's `docker` plugin reads it (`docker info`), only when a daemon
 * socket exists: no socket, no daemon, an empty section (Ohai's is empty here too). The socket
 * needs root or the docker group; refused, the section stays empty with a note.
 */
export const docker: Collector = async (context) => {
  const sockets = await Promise.all(SOCKETS.map((socket) => context.sources.realpath(socket)));
  if (!sockets.some(Boolean)) return {};
  const text = await context.sources.run('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 5000, maxBytes: 1024 * 1024 });
  const info = parseDockerInfo(text ?? '');
  if (!info) context.note('docker: a daemon socket exists but `docker info` failed (needs root or the docker group)');
  return info ?? {};
};

/** `docker info --format '{{json .}}'` into Ohai's shape (version, runtimes, root_dir, containers, swarm...). */
export function parseDockerInfo(text: string): Record<string, unknown> | null {
  let info: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    info = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const serverVersion = typeof info['ServerVersion'] === 'string' ? info['ServerVersion'] : null;
  return {
    version_string: serverVersion,
    version: serverVersion?.split('-')[0] ?? null,
    runtimes: info['Runtimes'] ?? null,
    root_dir: info['DockerRootDir'] ?? null,
    containers: { total: info['Containers'] ?? null, running: info['ContainersRunning'] ?? null, paused: info['ContainersPaused'] ?? null, stopped: info['ContainersStopped'] ?? null },
    plugins: info['Plugins'] ?? null,
    networking: { ipv4_forwarding: info['IPv4Forwarding'] ?? null, bridge_nf_iptables: info['BridgeNfIptables'] ?? null, bridge_nf_ipv6_iptables: info['BridgeNfIp6tables'] ?? null },
    swarm: info['Swarm'] ?? null,
  };
}
