import { AnnotationError, describeProblem } from '../annotation-error';
import * as k from '../annotation-keys';
import { annotationSizeProblems, annotationsTotalProblem } from '../annotation-limits';
import { buildPodPatch } from '../pod-patch';
import { parseGoBool } from '../go-values';
import type { InjectorSettings } from '../injector-settings';
import type { Pod } from '../pod-types';
import { resolveAgent } from '../resolve-agent';
import type { AdmissionResponse, AdmissionReview, AdmissionReviewResponse } from './admission-review';
import { validPodCreatedEvent, type InjectionSummary, type PodCreatedEvent } from './pod-created-event';
import { podShapeProblem } from './pod-shape';
import { normaliseVaultPath } from './vault-path';

/** Namespaces the injector never mutates. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public'];

export interface MutationOutcome {
  response: AdmissionReviewResponse;
  /** Set when the pod was mutated: its pod-created event, validated once here, for the bus as is. */
  event?: PodCreatedEvent;
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
 * `now` stamps the pod-created event of an injection.
 */
export function mutateReview(review: AdmissionReview, settings: InjectorSettings, now: () => Date = () => new Date()): MutationOutcome {
  const respond = (response: AdmissionResponse, reason: MutationOutcome['reason'], event?: PodCreatedEvent): MutationOutcome => ({
    response: { apiVersion: review.apiVersion, kind: 'AdmissionReview', response },
    reason,
    ...(event ? { event } : {}),
  });
  const request = review.request;
  const isPod = (request.kind?.kind ?? 'Pod') === 'Pod' && (request.kind?.group ?? '') === '' && !request.subResource;
  if (!isPod || (request.operation ?? 'CREATE') !== 'CREATE') return respond(allow(review), 'not-a-pod-create');
  const pod = request.object;
  if (typeof pod !== 'object' || pod === null || Array.isArray(pod)) return respond(deny(review, 'request.object is not a pod'), 'denied');
  const typed = pod as Pod;
  const problem = podShapeProblem(typed as Record<string, unknown>);
  if (problem) return respond(deny(review, `request.object is not a valid pod: ${problem}`), 'denied');
  const annotations = typed.metadata?.annotations ?? {};
  const rawInject = annotations[k.AGENT_INJECT];
  if (rawInject === undefined) return respond(allow(review), 'not-requested');
  const inject = parseGoBool(rawInject);
  if (inject === undefined) {
    return respond(deny(review, describeProblem({ annotation: k.AGENT_INJECT, value: rawInject, message: 'is not a boolean (use "true" or "false")' })), 'denied');
  }
  if (!inject) return respond(allow(review), 'not-requested');
  // Too late to inject once the pod runs; and a pod that carries the status was injected already.
  if (typed.status?.phase && typed.status.phase !== 'Pending') return respond(allow(review), 'not-pending');
  if (annotations[k.AGENT_INJECT_STATUS] === 'injected') return respond(allow(review), 'already-injected');
  const namespace = request.namespace || typed.metadata?.namespace || '';
  if (SYSTEM_NAMESPACES.includes(namespace)) return respond(allow(review), 'system-namespace');
  if (namespace === '') return respond(deny(review, 'request.namespace is empty; the injector needs the pod namespace'), 'denied');
  const tooLarge = annotationsTotalProblem(annotations);
  if (tooLarge) return respond(deny(review, tooLarge), 'denied');
  const sizeProblems = annotationSizeProblems(annotations);
  if (sizeProblems.length > 0) return respond(deny(review, new AnnotationError(sizeProblems).message), 'denied');
  try {
    const agent = resolveAgent(typed, namespace, settings);
    const patch = buildPodPatch(agent, settings);
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
      secrets: agent.secrets.filter((s) => s.path !== '').map((s) => ({ name: s.name, path: normaliseVaultPath(s.path), rawName: s.rawName })),
    };
    const checked = validPodCreatedEvent(summary, now().toISOString());
    if ('problem' in checked) return respond(deny(review, checked.problem), 'denied');
    const response: AdmissionResponse = {
      uid: request.uid,
      allowed: true,
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    };
    return respond(response, 'injected', checked.event);
  } catch (error) {
    if (error instanceof AnnotationError) return respond(deny(review, error.message), 'denied');
    throw error;
  }
}
