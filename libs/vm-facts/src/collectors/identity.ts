import { readTrimmed, type Collector } from './collector';

/** The systemd/D-Bus machine id (Ohai `machine_id`). */
export const machineId: Collector = async (context) => {
  const id = (await readTrimmed(context, 'etc/machine-id')) || (await readTrimmed(context, 'var/lib/dbus/machine-id'));
  if (!id) {
    context.note('machine_id: /etc/machine-id unreadable');
    return null;
  }
  return { machine_id: id };
};

/**
 * `hostnamectl` lines (`  Static hostname: web-01`) as Ohai names them (`static_hostname`).
 * It needs systemd-hostnamed over D-Bus; without it the section is empty, as Ohai's is, with a note.
 */
export const hostnamectl: Collector = async (context) => {
  const text = await context.sources.run('hostnamectl', [], { timeoutMs: 3000, maxBytes: 64 * 1024 });
  if (text === null) context.note('hostnamectl: not installed or no systemd-hostnamed (D-Bus) to answer');
  return parseHostnamectl(text ?? '');
};

/** `Key Name: value` lines into `{ key_name: value }`. */
export function parseHostnamectl(text: string): Record<string, string> {
  const section: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(': ');
    if (at <= 0) continue;
    section[line.slice(0, at).trim().toLowerCase().replace(/\s+/g, '_')] = line.slice(at + 2).trim();
  }
  return section;
}

const SSH_PUBLIC_KEY = /^ssh_host_([a-z0-9]+)_key\.pub$/;

/**
 * SSH host PUBLIC keys (Ohai `keys.ssh.host_<type>_public` and `_type`). Only `*.pub` files are
 * opened: the private host keys beside them are never read.
 */
export const keys: Collector = async (context) => {
  const names = (await context.sources.list('etc/ssh')) ?? [];
  const ssh: Record<string, string> = {};
  for (const name of names.sort()) {
    const type = SSH_PUBLIC_KEY.exec(name)?.[1];
    if (!type) continue;
    const [keyType, body] = ((await readTrimmed(context, `etc/ssh/${name}`)) ?? '').split(/\s+/);
    if (!keyType || !body) continue;
    ssh[`host_${type}_public`] = body;
    ssh[`host_${type}_type`] = keyType;
  }
  return { ssh };
};

/** The ps command Ohai's `command.ps` names (used by Ohai's process plugins; we run none). */
export const command: Collector = async () => ({ ps: 'ps -ef' });

/** Our equivalent of Ohai's `chef_packages` (its own gems): the collector's name and version. */
export const opzeroPackages: Collector = async (context) => ({ 'vm-config-collector': { version: context.version ?? '0' } });
