import type { Operation } from 'fast-json-patch';
import { agentVolumes, INIT_CONTAINER_NAME, initContainer, secretsMounts, sidecarContainer } from './agent-containers';
import type { AgentSpec } from './agent-spec';
import * as k from './annotation-keys';
import type { InjectorSettings } from './injector-settings';
import type { Container, VolumeMount } from './pod-types';

/** Escapes a JSON pointer segment (RFC 6901). */
export const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** `add` operations appending items to an array that may not exist yet. */
function append<T>(existing: readonly T[] | undefined, items: readonly T[], path: string): Operation[] {
  if (items.length === 0) return [];
  if (!existing) return [{ op: 'add', path, value: [...items] }];
  return items.map((value) => ({ op: 'add', path: `${path}/-`, value }));
}

/**
 * The JSONPatch that injects the agent into the pod: the volumes, the secrets mounts in the
 * selected containers (and in every init container), the init container and/or sidecar, and
 * `agent-inject-status: injected`. Same result as vault-k8s `Agent.Patch`.
 */
export function buildPodPatch(agent: AgentSpec, settings: InjectorSettings): Operation[] {
  const spec = agent.pod.spec ?? {};
  const containers = spec.containers ?? [];
  const initContainers = spec.initContainers;
  const mounts = secretsMounts(agent);
  const ops: Operation[] = [...append(spec.volumes, agentVolumes(agent), '/spec/volumes')];
  const selected = new Set(agent.containers);
  containers.forEach((container, index) => {
    if (selected.has(container.name)) ops.push(...append(container.volumeMounts, mounts, `/spec/containers/${index}/volumeMounts`));
  });
  if (agent.prePopulate) {
    const init = initContainer(agent, settings);
    const existing = initContainers ?? [];
    // The agent runs first when asked (an init container of the pod may need the secrets),
    // otherwise last.
    if (!initContainers) ops.push({ op: 'add', path: '/spec/initContainers', value: [init] });
    else ops.push({ op: 'add', path: agent.initFirst ? '/spec/initContainers/0' : '/spec/initContainers/-', value: init });
    const offset = agent.initFirst ? 1 : 0;
    existing.forEach((container: Container, index) => {
      if (container.name === INIT_CONTAINER_NAME) return;
      ops.push(...append<VolumeMount>(container.volumeMounts, mounts, `/spec/initContainers/${index + offset}/volumeMounts`));
    });
    if (agent.shareProcessNamespace !== undefined) ops.push({ op: 'add', path: '/spec/shareProcessNamespace', value: agent.shareProcessNamespace });
  }
  if (!agent.prePopulateOnly) ops.push(...append(spec.containers, [sidecarContainer(agent, settings)], '/spec/containers'));
  if (agent.pod.metadata?.annotations && Object.keys(agent.pod.metadata.annotations).length > 0) {
    ops.push({ op: 'add', path: `/metadata/annotations/${escapePointer(k.AGENT_INJECT_STATUS)}`, value: 'injected' });
  } else {
    ops.push({ op: 'add', path: '/metadata/annotations', value: { [k.AGENT_INJECT_STATUS]: 'injected' } });
  }
  return ops;
}
