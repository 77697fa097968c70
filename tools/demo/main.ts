// opzero demo: real Kafka, Kubernetes API server, OpenBao (a dev server for secrets, a sealed
// non-dev one the unseal-keeper initialises, unseals, and unseals again after a kill) and a
// three-server Consul behind the consul-gateway; the five apps as processes; the seed pod
// created through the API server and mutated by the injector; this machine's facts through the
// gateway while the Consul leader dies; one event of each type across the bus, a poison message
// landing in its DLQ; the timeline of the real events; a clean shutdown.
import { randomUUID } from 'node:crypto';
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
  type RealServer,
} from '@opzero/testing';
import { VaultClient } from '@opzero/vault';
import { appEnv, startDemoApp, startOnFreePort, type DemoApp } from './app-process';
import { admissionStory } from './admission-story';
import { consulStory, gatewayClusterEnv, keeperEnv, sealStory, startTimeline, type Timeline } from './story';

const say = (text: string) => console.log(`\n▶ ${text}`);

async function main(): Promise<void> {
  const servers: RealServer[] = [];
  const apps: DemoApp[] = [];
  let timeline: Timeline | undefined;
  let stopCluster: (() => Promise<void>) | undefined;
  try {
    say('starting real servers');
    const demoStart = Date.now();
    const consulState = consulAvailability();
    if (!consulState.available) console.log(`  Consul not available here: ${consulState.reason}`);
    const [kafka, vault, sealedVault, cluster, kube] = await Promise.all([
      startKafka(),
      startVault({ mode: 'dev' }),
      startVault({ mode: 'sealed' }),
      consulState.available ? startConsulCluster(3) : undefined,
      startKubernetes(),
    ]);
    servers.push(kafka, vault, sealedVault, kube);
    const consul = cluster?.members[0];
    for (const server of servers) console.log(`  ${server.description} (${server.image})`);
    if (cluster) console.log(`  Consul: ${cluster.members.length} servers (${cluster.members.map((m) => m.name).join(', ')}), datacenter ${cluster.datacenter}`);
    stopCluster = cluster && (() => cluster.stop());
    timeline = await startTimeline(kafka.brokers);

    const vaultClient = new VaultClient({ address: vault.address, token: vault.token });
    const version = await vaultClient.kvWrite('secret', 'demo/db', { username: 'app', password: randomUUID() });
    console.log(`  OpenBao: wrote secret/demo/db version ${version} (value not shown)`);
    if (consul) {
      const consulClient = new ConsulClient({ address: consul.address });
      await consulClient.kvPut('vm-config/demo-vm', JSON.stringify({ platform: 'debian', platform_version: '12' }));
      console.log(`  Consul: wrote vm-config/demo-vm, leader ${await consulClient.leader()}`);
    }

    say('starting the five apps');
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
      // Rotation state in memory: the demo's API server is not the agent-renderer's cluster.
      'agent-renderer': { AGENT_RENDERER_STATE_STORE: 'memory', AGENT_RENDERER_RESTART_ON_ROTATE: 'false' },
    };
    const started = names.map((app) =>
      startOnFreePort(app, (port) => startDemoApp(app, port, { ...appEnv(app, port, around), ...extra[app] }, app === 'injector' ? tls.ca : undefined)),
    );
    apps.push(...(await Promise.all(started)));
    for (const app of apps) {
      const ready = await requestJson('GET', `${app.baseUrl}/readyz`, { ca: tls.ca });
      console.log(`  ${app.app.padEnd(20)} ${app.baseUrl}  readyz ${ready.text}`);
    }

    if (consul) {
      const viaGateway = await requestJson('GET', `http://127.0.0.1:${gatewayApiPort}/v1/kv/vm-config/demo-vm?raw`);
      console.log(`  consul-gateway at 127.0.0.1:${gatewayApiPort}: GET /v1/kv/vm-config/demo-vm -> ${viaGateway.status} ${viaGateway.text}`);
    }

    say("the seed's devwebapp pod is created through the Kubernetes API server; the injector mutates it");
    await admissionStory(kube, `${apps.find((app) => app.app === 'injector')!.baseUrl}/mutate`, tls.ca);

    say('OpenBao (non-dev, sealed): the unseal-keeper initialises and unseals it; then it is killed and restarted');
    await sealStory(sealedVault, timeline, demoStart);
    if (cluster) {
      say("this machine's facts into Consul through the gateway; then the Consul leader is killed");
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

    say('graceful shutdown');
    for (const app of apps.splice(0)) console.log(`  ${app.app.padEnd(20)} exited with status ${await app.process.stop()}`);
    console.log('\ndemo complete');
  } finally {
    await timeline?.stop();
    await Promise.all(apps.map((app) => app.process.kill()));
    await Promise.all([...servers.map((server) => server.stop()), stopCluster?.()]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
