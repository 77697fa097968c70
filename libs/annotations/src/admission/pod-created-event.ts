import { podCreatedSchema, type PodCreated } from '@opzero/contracts';
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

/**
 * Why the injection's pod-created event would fail its contract, naming the pod field or
 * annotation behind it; undefined when it is valid. Admission and the contract must agree: an
 * admitted pod whose event is discarded would be invisible to secret rotation.
 */
export function podCreatedProblem(summary: InjectionSummary): string | undefined {
  const result = podCreatedSchema.safeParse(podCreatedEvent(summary, '2000-01-01T00:00:00Z'));
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  const [field, index] = issue.path;
  let source = SOURCES[String(field)] ?? String(field);
  if (field === 'secrets' && typeof index === 'number') source = `annotation ${k.AGENT_INJECT_SECRET}-${summary.secrets[index]?.rawName ?? index}`;
  else if (field === 'secrets') source = 'the agent-inject-secret-NAME annotations';
  return `${source}: ${issue.message} (the pod-created event must pass its contract)`;
}
