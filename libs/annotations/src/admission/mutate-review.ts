import { AnnotationError } from '../annotation-error';
import * as k from '../annotation-keys';
import { buildPodPatch } from '../pod-patch';
import { parseGoBool } from '../go-values';
import type { InjectorSettings } from '../injector-settings';
import type { Pod } from '../pod-types';
import { resolveAgent } from '../resolve-agent';
import type { AdmissionResponse, AdmissionReview, AdmissionReviewResponse } from './admission-review';

/** Namespaces the injector never mutates. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public'];

/** What was injected, for the `vault.pod-created` event: names and paths only, no values. */
export interface InjectionSummary {
  admissionUid: string;
  namespace: string;
  podName?: string;
  generateName?: string;
  owner?: { kind: string; name: string };
  serviceAccount: string;
  role: string;
  mode: 'init' | 'sidecar' | 'both';
  restartOnRotate: boolean;
  secrets: Array<{ name: string; path: string }>;
}

export interface MutationOutcome {
  response: AdmissionReviewResponse;
  /** Set when the pod was mutated. */
  injected?: InjectionSummary;
  /** Why the pod was allowed unchanged or denied (for logs and metrics). */
  reason: 'injected' | 'not-a-pod-create' | 'not-requested' | 'already-injected' | 'system-namespace' | 'not-pending' | 'denied';
}

const allow = (review: AdmissionReview): AdmissionResponse => ({ uid: review.request.uid, allowed: true });

function deny(review: AdmissionReview, message: string): AdmissionResponse {
  return { uid: review.request.uid, allowed: false, status: { code: 400, message } };
}

/**
 * Answers one AdmissionReview: the pure core of the webhook (no I/O, never throws for any
 * request content). Pod CREATEs that ask for the agent get a JSONPatch; invalid annotations
 * are denied with a message naming each annotation; everything else is allowed unchanged.
 */
export function mutateReview(review: AdmissionReview, settings: InjectorSettings): MutationOutcome {
  const respond = (response: AdmissionResponse, reason: MutationOutcome['reason'], injected?: InjectionSummary): MutationOutcome => ({
    response: { apiVersion: review.apiVersion, kind: 'AdmissionReview', response },
    reason,
    ...(injected ? { injected } : {}),
  });
  const request = review.request;
  const isPod = (request.kind?.kind ?? 'Pod') === 'Pod' && (request.kind?.group ?? '') === '' && !request.subResource;
  if (!isPod || (request.operation ?? 'CREATE') !== 'CREATE') return respond(allow(review), 'not-a-pod-create');
  const pod = request.object;
  if (typeof pod !== 'object' || pod === null || Array.isArray(pod)) return respond(deny(review, 'request.object is not a pod'), 'denied');
  const typed = pod as Pod;
  const problem = podShapeProblem(typed);
  if (problem) return respond(deny(review, `request.object is not a valid pod: ${problem}`), 'denied');
  const annotations = typed.metadata?.annotations ?? {};
  const rawInject = annotations[k.AGENT_INJECT];
  if (rawInject === undefined) return respond(allow(review), 'not-requested');
  const inject = parseGoBool(rawInject);
  if (inject === undefined) {
    return respond(deny(review, `annotation ${k.AGENT_INJECT}: ${JSON.stringify(rawInject)} is not a boolean (use "true" or "false")`), 'denied');
  }
  if (!inject) return respond(allow(review), 'not-requested');
  // Too late to inject once the pod runs; and a pod that carries the status was injected already.
  if (typed.status?.phase && typed.status.phase !== 'Pending') return respond(allow(review), 'not-pending');
  if (annotations[k.AGENT_INJECT_STATUS] === 'injected') return respond(allow(review), 'already-injected');
  const namespace = request.namespace || typed.metadata?.namespace || '';
  if (SYSTEM_NAMESPACES.includes(namespace)) return respond(allow(review), 'system-namespace');
  if (namespace === '') return respond(deny(review, 'request.namespace is empty; the injector needs the pod namespace'), 'denied');
  try {
    const agent = resolveAgent(typed, namespace, settings);
    const patch = buildPodPatch(agent, settings);
    const response: AdmissionResponse = {
      uid: request.uid,
      allowed: true,
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    };
    const owner = typed.metadata?.ownerReferences?.find((ref) => ref.controller) ?? typed.metadata?.ownerReferences?.[0];
    const summary: InjectionSummary = {
      admissionUid: request.uid,
      namespace,
      ...(typed.metadata?.name ? { podName: typed.metadata.name } : {}),
      ...(typed.metadata?.generateName ? { generateName: typed.metadata.generateName } : {}),
      ...(owner ? { owner: { kind: owner.kind, name: owner.name } } : {}),
      serviceAccount: typed.spec?.serviceAccountName || 'default',
      role: agent.vault.role || String(agent.vault.authConfig['role'] ?? ''),
      mode: agent.prePopulate ? (agent.prePopulateOnly ? 'init' : 'both') : 'sidecar',
      restartOnRotate: agent.restartOnRotate,
      secrets: agent.secrets.filter((s) => s.path !== '').map((s) => ({ name: s.name, path: s.path })),
    };
    return respond(response, 'injected', summary);
  } catch (error) {
    if (error instanceof AnnotationError) return respond(deny(review, error.message), 'denied');
    throw error;
  }
}

/** Checks the fields the injector walks, so a malformed pod is denied rather than crashing. */
function podShapeProblem(pod: Pod): string | undefined {
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (pod.metadata !== undefined && !isObject(pod.metadata)) return 'metadata is not an object';
  const annotations = pod.metadata?.annotations;
  if (annotations !== undefined && annotations !== null) {
    if (!isObject(annotations)) return 'metadata.annotations is not an object';
    for (const [key, value] of Object.entries(annotations)) if (typeof value !== 'string') return `annotation ${key} is not a string`;
  }
  if (pod.spec !== undefined && !isObject(pod.spec)) return 'spec is not an object';
  for (const field of ['containers', 'initContainers', 'volumes'] as const) {
    const list = pod.spec?.[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `spec.${field} is not a list`;
    for (const [index, item] of list.entries()) {
      if (!isObject(item) || typeof (item as { name?: unknown }).name !== 'string') return `spec.${field}[${index}] has no name`;
      if (field === 'volumes') continue;
      const container = item as { volumeMounts?: unknown; env?: unknown; securityContext?: unknown };
      if (container.volumeMounts !== undefined && container.volumeMounts !== null) {
        if (!Array.isArray(container.volumeMounts)) return `spec.${field}[${index}].volumeMounts is not a list`;
        for (const mount of container.volumeMounts) {
          if (!isObject(mount) || typeof mount.name !== 'string' || typeof mount.mountPath !== 'string') {
            return `spec.${field}[${index}].volumeMounts has an entry without name and mountPath`;
          }
        }
      }
      if (container.env !== undefined && container.env !== null && !Array.isArray(container.env)) return `spec.${field}[${index}].env is not a list`;
      if (container.securityContext !== undefined && container.securityContext !== null && !isObject(container.securityContext)) {
        return `spec.${field}[${index}].securityContext is not an object`;
      }
    }
  }
  return undefined;
}
