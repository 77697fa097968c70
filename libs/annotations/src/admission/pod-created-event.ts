import { ContractViolation, podCreated, validateEvent, type PodCreated, type ValidEvent } from '@opzero/contracts';
import * as k from '../annotation-keys';

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
  /** `rawName` is NAME as written in the annotation key, to name it in a denial. */
  secrets: Array<{ name: string; path: string; rawName?: string }>;
}

/** The `vault.pod-created` event of an injection (a role only when the agent logs in with one). */
export function podCreatedEvent({ role, secrets, ...summary }: InjectionSummary, injectedAt: string): PodCreated {
  return { ...summary, ...(role ? { role } : {}), secrets: secrets.map(({ name, path }) => ({ name, path })), injectedAt };
}

/** Where each event field comes from in the review, so a denial names what the pod author can fix. */
const SOURCES: Record<string, string> = {
  admissionUid: 'request.uid',
  namespace: 'request.namespace',
  podName: 'metadata.name',
  generateName: 'metadata.generateName',
  owner: 'metadata.ownerReferences',
  serviceAccount: 'spec.serviceAccountName',
  role: `annotation ${k.ROLE}`,
};

/** A pod-created event that passed its contract at admission: the bus publishes it without parsing it again. */
export type PodCreatedEvent = ValidEvent<typeof podCreated>;

/**
 * The injection's pod-created event, validated against its contract once, here; or why it
 * fails, naming the pod field or annotation behind it. Admission and the contract must agree: an
 * admitted pod whose event is discarded would be invisible to secret rotation.
 */
export function validPodCreatedEvent(summary: InjectionSummary, injectedAt: string): { event: PodCreatedEvent } | { problem: string } {
  try {
    return { event: validateEvent(podCreated, podCreatedEvent(summary, injectedAt)) };
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    const issue = error.issues[0]!;
    const [field, index] = issue.path;
    let source = SOURCES[String(field)] ?? String(field);
    if (field === 'secrets' && typeof index === 'number') source = `annotation ${k.AGENT_INJECT_SECRET}-${summary.secrets[index]?.rawName ?? index}`;
    else if (field === 'secrets') source = 'the agent-inject-secret-NAME annotations';
    return { problem: `${source}: ${issue.message} (the pod-created event must pass its contract)` };
  }
}
