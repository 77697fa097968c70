// opzero demo: real Kafka, Kubernetes API server, OpenBao (a dev server for the pods' secrets,
// a sealed non-dev one the unseal-keeper initialises, unseals, and unseals again after a kill)
// and a three-server Consul behind the consul-gateway; the five apps as processes; the seed pod
// created through the API server and mutated by the injector, its init container run as a
// process that logs in with kubernetes auth and writes credentials.txt; a rotation pushed to a
// sidecar and rolling a restart-on-rotate Deployment; this machine's facts through the gateway
// while the Consul leader dies; one event of each type across the bus, a poison message landing
// in its DLQ; the timeline of the real events; a clean shutdown.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, DlqHeaders, EventConsumer, EventProducer } from '@opzero/bus';
import { ConsulClient } from '@opzero/consul';
import { contracts, dlqTopic, exampleEvents, Topics, type Contract, type Topic } from '@opzero/contracts';
import {
  consulAvailability,
  freePorts,
  localCertificateFiles,
  requestJson,
  startConsulCluster,
  startKafka,
  startKubernetes,
  startVault,
  waitFor,
  type ConsulCluster,
  type RealServer,
} from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { buildAgentBundle } from '../../libs/agent/test/agent-runner';
import { runInitContainer, prepareVaultForPods, startSidecar, DEVWEBAPP_PATH, type Sidecar } from './agent-story';
import { appEnv, startDemoApp, startOnFreePort, type DemoApp } from './app-process';
import { admissionStory, createSidecarPod, NAMESPACE, SERVICE_ACCOUNT } from './admission-story';
import { createRestartOnRotateDeployment, rotateAndObserve, waitForRotationBaseline } from './rotation-story';
import { consulStory, gatewayClusterEnv, keeperEnv, sealStory, startTimeline, type Timeline } from './story';

const demoStart = Date.now();
const say = (text: string) => console.log(`\n▶ [+${((Date.now() - demoStart) / 1000).toFixed(1)} s] ${text}`);

/** Every promise settled; the fulfilled values kept by `keep` (so they are stopped later), then the first failure thrown. */
async function allKept<T extends unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }], keep: (value: T[number]) => void): Promise<T> {
  const settled = await Promise.allSettled(promises as Promise<T[number]>[]);
  for (const result of settled) if (result.status === 'fulfilled') keep(result.value);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T[number]>).value) as T;
}

async function main(): Promise<void> {
  const servers: RealServer[] = [];
  const apps: DemoApp[] = [];
  let timeline: Timeline | undefined;
  let clusterStarting: Promise<ConsulCluster | undefined> | undefined;
  let sidecar: Sidecar | undefined;
  // Stands in for the pods' volumes: /vault/secrets, /home/vault and the ServiceAccount token of each pod run here.
  const work = await mkdtemp(join(tmpdir(), 'opzero-demo-pods-'));
  try {
    say('step 1: starting real servers (and bundling the agent as its image does)');
    const consulState = consulAvailability();
    if (!consulState.available) console.log(`  Consul not available here: ${consulState.reason}`);
    clusterStarting = consulState.available ? startConsulCluster(3) : Promise.resolve(undefined);
    const bundling = buildAgentBundle(join(work, 'bundle', 'agent.js'));
    // Awaited below; a failure meanwhile must not end the process before the finally block stops what did start.
    for (const pending of [clusterStarting, bundling]) pending.catch(() => undefined);
    const [kafka, vault, sealedVault, kube] = await allKept([startKafka(), startVault({ mode: 'dev' }), startVault({ mode: 'sealed' }), startKubernetes()], (server) => servers.push(server));
    const cluster = await clusterStarting;
    const bundle = await bundling;
    console.log(`  the agent the pods' containers run, bundled as in its image: ${bundle}`);
    const consul = cluster?.members[0];
    for (const server of servers) console.log(`  ${server.description} (${server.image})`);
    if (cluster) console.log(`  Consul: ${cluster.members.length} servers (${cluster.members.map((m) => m.name).join(', ')}), datacenter ${cluster.datacenter}`);
    timeline = await startTimeline(kafka.brokers);

    const vaultClient = new VaultClient({ address: vault.address, token: vault.token });
    const metadataToken = await prepareVaultForPods(vault, kube, NAMESPACE, SERVICE_ACCOUNT);
    if (consul) {
      const consulClient = new ConsulClient({ address: consul.address });
      await consulClient.kvPut('vm-config/demo-vm', JSON.stringify({ platform: 'debian', platform_version: '12' }));
      console.log(`  Consul: wrote vm-config/demo-vm, leader ${await consulClient.leader()}`);
    }

    say('step 1: starting the five apps');
    // The gateway fronts Consul, so it runs only where Consul does.
    const names = ['injector', 'agent-renderer', 'unseal-keeper', 'vm-config-collector', ...(consul ? ['consul-gateway'] : [])];
    const [gatewayApiPort] = await freePorts(1);
    // The injector serves HTTPS, as admission webhooks must: a throwaway certificate here.
    const tls = await localCertificateFiles();
    const around = { brokers: kafka.brokers, tls, consulSeed: consul && new URL(consul.address).host, gatewayApiPort };
    const gatewayApi = `http://127.0.0.1:${gatewayApiPort}`;
    const extra: Record<string, Record<string, string>> = {
      'unseal-keeper': await keeperEnv(sealedVault),
      'consul-gateway': cluster ? gatewayClusterEnv(cluster) : {},
      'vm-config-collector': cluster ? { VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: gatewayApi } : {},
      // The rotation service on the demo's cluster: versions in a Secret, restart-on-rotate rollouts (1 s coalescing window instead of 10 s).
      'agent-renderer': { AGENT_RENDERER_VAULT_ADDRESS: vault.address, AGENT_RENDERER_VAULT_TOKEN: metadataToken, AGENT_RENDERER_RESTART_WINDOW_MS: '1000', KUBECONFIG: kube.kubeconfigFile },
      injector: { INJECTOR_VAULT_ADDRESS: vault.address },
    };
    const start = (app: string, more: Record<string, string> = {}) =>
      startOnFreePort(app, (port) => startDemoApp(app, port, { ...appEnv(app, port, around), ...extra[app], ...more }, app === 'injector' ? tls.ca : undefined));
    // The injector gives sidecars the rotation service's address, so it starts once that is known.
    const renderer = start('agent-renderer');
    const started = names.map((app) =>
      app === 'agent-renderer' ? renderer : app === 'injector' ? renderer.then((r) => start(app, { INJECTOR_ROTATION_ADDRESS: r.baseUrl })) : start(app),
    );
    await allKept(started, (app) => apps.push(app));
    for (const app of apps) {
      const ready = await requestJson('GET', `${app.baseUrl}/readyz`, { ca: tls.ca });
      console.log(`  ${app.app.padEnd(20)} ${app.baseUrl}  readyz ${ready.text}`);
    }

    if (consul) {
      const viaGateway = await requestJson('GET', `http://127.0.0.1:${gatewayApiPort}/v1/kv/vm-config/demo-vm?raw`);
      console.log(`  consul-gateway at 127.0.0.1:${gatewayApiPort}: GET /v1/kv/vm-config/demo-vm -> ${viaGateway.status} ${viaGateway.text}`);
    }

    say("step 2: the seed's devwebapp pod is created through the Kubernetes API server; the injector mutates it; its init container writes credentials.txt");
    const seed = await admissionStory(kube, `${apps.find((app) => app.app === 'injector')!.baseUrl}/mutate`, tls.ca);
    await runInitContainer(kube, seed, join(work, seed.metadata.name), bundle);

    say('step 3: the secret is rotated: secret-rotated on the bus, a sidecar\'s file changes, a restart-on-rotate Deployment gets a new ReplicaSet');
    const live = await createSidecarPod(kube, 'devwebapp-live');
    sidecar = await startSidecar(kube, live, join(work, live.metadata.name), bundle);
    console.log(`  its vault-agent sidecar runs as a process (OPZERO_ROTATION_ADDRESS=${sidecar.rotationAddress}) and rendered ${sidecar.file}`);
    const deployment = { namespace: NAMESPACE, name: 'devwebapp-rotating' };
    const firstReplicaSet = await createRestartOnRotateDeployment(kube, deployment.namespace, deployment.name, timeline);
    const admin = createKafka({ brokers: kafka.brokers, clientId: 'demo-admin' }).admin();
    await admin.connect();
    try {
      const baseline = await waitForRotationBaseline(admin, kube, DEVWEBAPP_PATH);
      console.log(`  the rotation service indexed every pod-created event and keeps version ${baseline} of ${DEVWEBAPP_PATH} as its baseline`);
    } finally {
      await admin.disconnect();
    }
    await rotateAndObserve(vaultClient, timeline, sidecar, kube, { ...deployment, firstReplicaSet });
    sidecar.agent.signal('SIGTERM');
    console.log(`  the sidecar stopped on SIGTERM with status ${await sidecar.agent.exited}`);

    say('step 4: OpenBao (non-dev, sealed): the unseal-keeper initialises and unseals it; then it is killed and restarted');
    await sealStory(sealedVault, timeline, demoStart);
    if (cluster) {
      say("step 5: this machine's facts into Consul through the gateway; then the Consul leader is killed");
      const collectorApp = apps.find((app) => app.app === 'vm-config-collector')!;
      await consulStory(cluster, gatewayApi, timeline, collectorApp.baseUrl);
    }

    // The events the system produced itself, before the examples below join them on the bus.
    await timeline.next(Topics.podCreated, demoStart);
    const realEvents = [...timeline.entries];

    say('one example event of each type across the bus (every event on the bus, validated, is printed)');
    const client = createKafka({ brokers: kafka.brokers, clientId: 'demo' });
    const all = Object.values(contracts) as Contract[];
    const producer = new EventProducer(client, { contracts: all });
    await producer.connect();
    const received = new Set<Topic>();
    const consumer = new EventConsumer(client, { groupId: `demo-${randomUUID()}` });
    for (const contract of all) {
      consumer.on(contract, async (event, context) => {
        received.add(context.topic);
        console.log(`  received ${context.topic.padEnd(28)} key=${context.envelope.key}  id=${context.envelope.id.slice(0, 8)}  ${JSON.stringify(event).slice(0, 70)}…`);
      });
    }
    await consumer.start();
    // pod-created came from the injector's admission of devwebapp above; the others are examples.
    for (const contract of all.filter((c) => c.topic !== Topics.podCreated)) {
      await producer.publish(contract, exampleEvents[contract.topic] as never);
    }
    await waitFor('every event type', async () => (received.size === all.length ? true : undefined));

    say('a poison message goes to the dead-letter topic, the consumer carries on');
    const raw = client.producer();
    await raw.connect();
    await raw.send({
      topic: Topics.sealed,
      messages: [{ key: 'vault-x', value: '{"node":""}', headers: { ce_id: 'poison', ce_source: '/demo', ce_type: 'x', ce_specversion: '1.0' } }],
    });
    await raw.disconnect();
    const dlqConsumer = client.consumer({ groupId: `demo-dlq-${randomUUID()}` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: dlqTopic(Topics.sealed), fromBeginning: true });
    let dead = '';
    await dlqConsumer.run({
      eachMessage: async ({ message }) => void (dead = `${message.headers?.[DlqHeaders.reason]}: ${message.headers?.[DlqHeaders.error]}`),
    });
    await waitFor('the dead letter', async () => (dead ? true : undefined));
    console.log(`  ${dlqTopic(Topics.sealed)} ← ${dead}`);
    await dlqConsumer.disconnect();
    await consumer.stop();
    await producer.disconnect();

    say('timeline of the events the system produced (from Kafka; the examples above excluded)');
    timeline.print(demoStart, realEvents);

    say('step 6: graceful shutdown');
    for (const app of apps.splice(0)) console.log(`  ${app.app.padEnd(20)} exited with status ${await app.process.stop()}`);
    console.log('\ndemo complete');
  } finally {
    await sidecar?.agent.stop();
    await timeline?.stop();
    await Promise.all(apps.map((app) => app.process.kill()));
    const cluster = await clusterStarting?.catch(() => undefined);
    await Promise.all([...servers.map((server) => server.stop()), cluster?.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
