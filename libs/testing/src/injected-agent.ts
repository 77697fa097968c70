import { join } from 'node:path';

/** The parts of an injected agent container (init or sidecar) a local run needs. */
export interface InjectedAgentContainer {
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
}

/** An injected agent container as a local process: argv, plain env values, and its Vault Agent config. */
export interface InjectedAgentProcess {
  /** command + args, with the image's agent script replaced by the local bundle. */
  argv: string[];
  /** The container's plain env values (valueFrom entries left out), VAULT_CONFIG removed. */
  env: Record<string, string>;
  /** VAULT_CONFIG decoded, with the pod's paths mapped into the local directory. */
  config: Record<string, unknown>;
}

/** Where a pod's files are: the ServiceAccount token, the shared secrets volume and the agent's home. */
const POD_PATHS: [string, string][] = [
  ['/var/run/secrets/kubernetes.io/serviceaccount/token', join('sa', 'token')],
  ['/vault/secrets', 'secrets'],
  ['/home/vault', 'home'],
];

/**
 * Runs an injected container as a process would run in the pod: its command and args (the
 * image's `agentScript`, e.g. /opt/opzero/agent.js, replaced by `bundle`) and its env, with
 * the pod's paths mapped under `dir` (`dir/sa/token`, `dir/secrets`, `dir/home`); the caller
 * writes the ServiceAccount token there, as the kubelet would.
 */
export function injectedAgentProcess(container: InjectedAgentContainer, dir: string, agentScript: string, bundle: string): InjectedAgentProcess {
  const map = (text: string) => POD_PATHS.reduce((mapped, [inPod, local]) => mapped.replaceAll(inPod, join(dir, local)), text);
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  const config = JSON.parse(map(Buffer.from(env['VAULT_CONFIG'] ?? '', 'base64').toString('utf8'))) as Record<string, unknown>;
  delete env['VAULT_CONFIG'];
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => (a === agentScript ? bundle : a));
  return { argv, env, config };
}
