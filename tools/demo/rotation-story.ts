// Step 3 of the demo: a KV v2 write is seen by the rotation service (apps/agent-renderer), which
// emits vault.secret-rotated.v1, pushes the new version to the subscribed sidecar (its file
// changes) and rolls the restart-on-rotate Deployment (a new ReplicaSet, from the real
// kube-controller-manager). Every wait is on an observable condition.
import { readFile } from 'node:fs/promises';
import type { Admin } from 'kafkajs';
import { Topics } from '@opzero/contracts';
import { seedPod, waitFor, type KubernetesServer } from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { DEVWEBAPP_KEY, DEVWEBAPP_PATH, devwebappSecret, redacted, type Sidecar } from './agent-story';
import type { Timeline } from './story';

const RESTART_ON_ROTATE = 'opzero.io/restart-on-rotate';
/** Where the rotation service keeps its last-seen versions (AGENT_RENDERER_STATE_STORE=kubernetes, its defaults). */
const STATE_SECRET = { namespace: 'default', name: 'opzero-rotation-state' };

interface ReplicaSet {
  metadata: { name: string; creationTimestamp?: string };
  spec: { template: { metadata?: { annotations?: Record<string, string> } } };
}

const replicaSets = (kube: KubernetesServer, namespace: string, app: string) =>
  kube.client.call<ReplicaSet[]>('list', { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: `app=${app}` });

/**
 * Creates an init-only Deployment of the seed pod annotated restart-on-rotate; waits for its
 * ReplicaSet and for the injector's pod-created event of that ReplicaSet's pod. Returns the ReplicaSet's name.
 */
export async function createRestartOnRotateDeployment(kube: KubernetesServer, namespace: string, name: string, timeline: Timeline): Promise<string> {
  const since = Date.now();
  const pod = seedPod(namespace, name);
  const template = { metadata: { labels: { app: name }, annotations: { ...pod.metadata.annotations, [RESTART_ON_ROTATE]: 'true' } }, spec: pod.spec };
  await kube.client.call('create', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels: { app: name } }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template } });
  const [first] = await waitFor(`the first ReplicaSet of ${name}`, async () => ((await replicaSets(kube, namespace, name)).length > 0 ? replicaSets(kube, namespace, name) : undefined), { timeoutMs: 120_000 });
  const admitted = await timeline.next(Topics.podCreated, since, (event) => (event['owner'] as { name?: string } | undefined)?.name === first!.metadata.name);
  console.log(`  Deployment ${namespace}/${name} (init-only, ${RESTART_ON_ROTATE}=true): ReplicaSet ${first!.metadata.name} by kube-controller-manager; its pod admitted through the injector (pod-created, generateName ${JSON.stringify(admitted.event['generateName'])}, restartOnRotate=${admitted.event['restartOnRotate']})`);
  return first!.metadata.name;
}

/**
 * The rotation service has indexed every pod-created event on the bus (its index consumer
 * group has committed up to the end of the topic; kafkajs commits after each handled batch) and
 * stored a baseline version for `path` in its state Secret: a write from now on is a rotation.
 */
export async function waitForRotationBaseline(admin: Admin, kube: KubernetesServer, path: string): Promise<number> {
  const caughtUp = async () => {
    const ends = await admin.fetchTopicOffsets(Topics.podCreated);
    const { groups } = await admin.listGroups();
    const indexGroups = groups.map((group) => group.groupId).filter((id) => id.startsWith('agent-renderer-index-'));
    if (indexGroups.length === 0) return undefined;
    for (const groupId of indexGroups) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [Topics.podCreated] });
      const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      if (ends.some((end) => Number(end.offset) > 0 && (at.get(end.partition) ?? -1) < Number(end.offset))) return undefined;
    }
    return true;
  };
  await waitFor('the rotation service to index every pod-created event', caughtUp, { timeoutMs: 120_000, intervalMs: 250 });
  return waitFor(`a baseline version of ${path} in Secret ${STATE_SECRET.namespace}/${STATE_SECRET.name}`, async () => {
    const secret = await kube.client.call<{ data?: Record<string, string> }>('read', { apiVersion: 'v1', kind: 'Secret', metadata: STATE_SECRET });
    const raw = secret.data?.['versions.json'];
    return raw ? (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, number>)[path] : undefined;
  }, { timeoutMs: 120_000, intervalMs: 250 });
}

/**
 * Writes a new version of the devwebapp secret and reports, each timed from the write: the
 * secret-rotated event on the bus, the sidecar's file changing, and the Deployment's new ReplicaSet.
 */
export async function rotateAndObserve(vault: VaultClient, timeline: Timeline, sidecar: Sidecar, kube: KubernetesServer, deployment: { namespace: string; name: string; firstReplicaSet: string }): Promise<void> {
  const before = await readFile(sidecar.file, 'utf8');
  const writtenAt = Date.now();
  const version = await vault.kvWrite('secret', DEVWEBAPP_KEY, devwebappSecret());
  console.log(`  KV v2 write: ${DEVWEBAPP_PATH} version ${version} (new PASSWORD)`);
  const event = timeline.next(Topics.secretRotated, writtenAt, (e) => e['path'] === DEVWEBAPP_PATH && e['version'] === version).then((entry) => {
    console.log(`  +${entry.at - writtenAt} ms  vault.secret-rotated.v1 ${DEVWEBAPP_PATH} ${entry.event['previousVersion']} → ${version}, podCount=${entry.event['podCount']}`);
  });
  const file = waitFor('the sidecar file to change', async () => {
    const text = await readFile(sidecar.file, 'utf8');
    return text !== before ? text : undefined;
  }, { timeoutMs: 120_000, intervalMs: 5 }).then((text) => {
    const tookMs = Date.now() - writtenAt;
    console.log(`  +${tookMs} ms  the sidecar's ${sidecar.file} changed (pushed by ${sidecar.rotationAddress}; ${tookMs <= 1000 ? 'within a second' : 'NOT within a second on this loaded machine'}; its static interval is Vault Agent's 5 min): ${redacted(text).join(' | ')}`);
  });
  const rolled = waitFor('a new ReplicaSet', async () => {
    const sets = await replicaSets(kube, deployment.namespace, deployment.name);
    return sets.find((set) => set.metadata.name !== deployment.firstReplicaSet);
  }, { timeoutMs: 120_000, intervalMs: 50 }).then((set) => {
    const restartedAt = set.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    console.log(`  +${Date.now() - writtenAt} ms  Deployment ${deployment.namespace}/${deployment.name} rolled: new ReplicaSet ${set.metadata.name} (restartedAt ${restartedAt}; the service's restart window is 1 s here)`);
  });
  await Promise.all([event, file, rolled]);
  // The agent's own account: the push, not its interval, rendered the file again.
  const lines = ['subscribed to the rotation service', 'secret rotated: rendering again'];
  await waitFor('the sidecar to log the push', async () => (lines.every((line) => sidecar.agent.log.includes(line)) ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
  console.log(`  the sidecar logged ${lines.map((line) => `"${line}"`).join(' and ')}`);
}
