/**
 * Normalises a pod mutated by vault-k8s or by opzero so the two can be compared field by field,
 * ignoring only what the issue allows: the agent image, the agent's command/args, and how the
 * agent configuration is encoded (VAULT_CONFIG is decoded and compared as data).
 */
import { decodeAgentConfig, type Container, type Pod } from '@opzero/annotations';

const AGENT_NAMES = new Set(['vault-agent', 'vault-agent-init']);

export function normalisePod(pod: Pod): unknown {
  const copy = JSON.parse(JSON.stringify(pod)) as Pod;
  const spec = copy.spec ?? {};
  // vault-k8s numbers extra secret volumes in Go map order; name them by mount path instead.
  const renames = new Map<string, string>();
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const mount of container.volumeMounts ?? []) {
      if (/^vault-secrets-custom-\d+$/.test(mount.name)) renames.set(mount.name, `vault-secrets-custom@${mount.mountPath}`);
    }
  }
  for (const volume of spec.volumes ?? []) volume.name = renames.get(volume.name) ?? volume.name;
  const isCustom = (item: { name: string }) => item.name.startsWith('vault-secrets-custom@');
  // ... and adds them (volumes and mounts) in that order too; compare them as a set.
  sortAmong(spec.volumes ?? [], isCustom);
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const mount of container.volumeMounts ?? []) mount.name = renames.get(mount.name) ?? mount.name;
    sortAmong(container.volumeMounts ?? [], isCustom);
    if (AGENT_NAMES.has(container.name)) normaliseAgent(container);
  }
  return copy;
}

/**
 * Sorts by name the entries of `list` that `member` picks, each staying within the positions
 * those entries held, so a list that differs only in their order compares equal.
 */
function sortAmong<T extends { name: string }>(list: T[], member: (item: T) => boolean): void {
  const positions = list.flatMap((item, index) => (member(item) ? [index] : []));
  const sorted = positions.map((index) => list[index]!).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  positions.forEach((index, n) => (list[index] = sorted[n]!));
}

function normaliseAgent(container: Container): void {
  delete container.image;
  delete container.command;
  delete container.args;
  // vault-k8s collects the AWS_* variables through a Go map: their order varies per request.
  sortAmong(container.env ?? [], (variable) => variable.name.startsWith('AWS_'));
  for (const variable of container.env ?? []) {
    if (variable.name === 'VAULT_CONFIG' && variable.value) {
      const config = decodeAgentConfig(variable.value) as unknown as Record<string, unknown>;
      const templates = config['template'] as Array<{ destination: string }> | undefined;
      templates?.sort((a, b) => (a.destination < b.destination ? -1 : 1));
      (variable as { value: unknown }).value = config;
    }
  }
  const preStop = container.lifecycle?.preStop?.exec?.command;
  if (preStop) (container.lifecycle as { preStop: unknown }).preStop = { revoke: revokeOf(preStop) };
}

/** `sleep N && vault token revoke FLAGS` (vault-k8s) and `<agent> revoke-token -sleep=N FLAGS` (opzero). */
function revokeOf(command: string[]): { sleep: string; flags: string[] } {
  const shell = /^\/bin\/sleep (\d+) && \/bin\/vault token revoke (.*)$/.exec(command[2] ?? '');
  if (command[0] === '/bin/sh' && shell) return { sleep: shell[1]!, flags: shell[2]!.split(' ') };
  const at = command.indexOf('revoke-token');
  return { sleep: (command[at + 1] ?? '').replace('-sleep=', ''), flags: command.slice(at + 2) };
}

/** Paths where two JSON values differ, with both values (truncated). */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const out: string[] = [];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      out.push(...differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`));
    }
    return out;
  }
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 160));
  return [`${path || '/'}: vault-k8s ${show(a)} | opzero ${show(b)}`];
}
