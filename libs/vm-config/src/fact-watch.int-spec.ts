import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, EventProducer } from '@opzero/bus';
import { ConsulClient } from '@opzero/consul';
import { vmconfigCollected, type VmconfigCollected } from '@opzero/contracts';
import { consulAvailability, startConsul, startKafka, waitFor, type ConsulServer, type KafkaServer } from '@opzero/testing';
import { canonicalJson, ConsulKvStream, FactWatch, sectionKey, sha256, writeFacts, type MalformedValue } from './index';

const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

/** Waits until the predicate holds. */
const until = (what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number) =>
  waitFor(what, async () => ((await predicate()) ? true : undefined), { timeoutMs });

const facts = (release: string) => ({
  platform: { platform: 'debian', platform_version: '12' },
  kernel: { release: '6.1.0-27-amd64' },
  app: { release },
});

describeConsul('FactWatch on a real Consul, emitting vmconfig.collected.v1 to a real Kafka', () => {
  let consulServer: ConsulServer;
  let kafkaServer: KafkaServer;
  let consul: ConsulClient;
  let kafka: Kafka;
  let producer: EventProducer;
  let watch: FactWatch;
  const records: KafkaMessage[] = [];
  const malformed: MalformedValue[] = [];
  const errors: unknown[] = [];
  let stopTail: () => Promise<void>;

  const events = () => records.map((record) => JSON.parse(record.value!.toString()) as VmconfigCollected);
  const write = (node: string, release: string) => writeFacts(consul, facts(release), { node, address: '10.0.0.1' });

  beforeAll(async () => {
    [consulServer, kafkaServer] = await Promise.all([startConsul(), startKafka()]);
    consul = new ConsulClient({ address: consulServer.address });
    kafka = createKafka({ brokers: kafkaServer.brokers, clientId: 'vm-config-test' });
    producer = new EventProducer(kafka, { contracts: [vmconfigCollected] });
    await producer.connect();
    const consumer = kafka.consumer({ groupId: `tail-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: vmconfigCollected.topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
    stopTail = () => consumer.disconnect();
    // A node present before the service starts is the baseline: no event for it.
    await write('vm-before', '1.0.0');
    watch = new FactWatch({
      consul: new ConsulKvStream({ address: consulServer.address }),
      wait: '10s',
      backoff: { initialMs: 100, maxMs: 1000 },
      onCollected: (event) => producer.publish(vmconfigCollected, event),
      onMalformed: (value) => malformed.push(value),
      onError: (error) => errors.push(error),
    });
    watch.start();
    await until('the baseline listing', () => Object.keys(watch.knownNodes()).includes('vm-before'), 10_000);
  }, 180_000);

  afterAll(async () => {
    await watch?.stop();
    await stopTail?.();
    await producer?.disconnect();
    consul?.close();
    await Promise.all([consulServer?.stop(), kafkaServer?.stop()]);
  });

  it('ConsulKvStream lists what kvList lists, entry by entry, values decoded; blocks until a change; an empty prefix is empty', async () => {
    const stream = new ConsulKvStream({ address: consulServer.address });
    await consul.kvPut('stream/b', 'ünïcödé ✓ "quoted" }]');
    await consul.kvPut('stream/a/1', JSON.stringify({ big: 'y'.repeat(300 * 1024) }));
    await consul.kvPut('stream/a.b', '');
    const expected = await consul.kvList('stream/');
    const listing = await stream.listEntries('stream/');
    const seen = [];
    for await (const entry of listing.entries) seen.push(entry);
    expect(seen).toEqual(expected.value);
    expect(listing.index).toBe(expected.index);

    const none = await stream.listEntries('stream-none/');
    const noEntries = [];
    for await (const entry of none.entries) noEntries.push(entry);
    expect(noEntries).toEqual([]);

    const blocked = stream.listEntries('stream/', { index: listing.index, wait: '30s' });
    await consul.kvPut('stream/c', 'new');
    const woken = await blocked;
    const keys = [];
    for await (const entry of woken.entries) keys.push(entry.key);
    expect(keys).toEqual(['stream/a.b', 'stream/a/1', 'stream/b', 'stream/c']);
    expect(woken.index).toBeGreaterThan(listing.index);
  });

  it('a new node gives one event with every section, firstSeen and the hash of its facts', async () => {
    await write('vm-new', '1.0.0');
    await until('the vm-new event', () => events().some((e) => e.node === 'vm-new'), 20_000);
    const [event] = events().filter((e) => e.node === 'vm-new');
    expect(event).toMatchObject({ node: 'vm-new', kvKey: 'vm-config/vm-new/', changed: ['app', 'kernel', 'platform'], firstSeen: true });
    expect(event!.factsSha256).toBe(sha256(canonicalJson(facts('1.0.0'))));
    expect(events().filter((e) => e.node === 'vm-before')).toEqual([]);
  });

  it('a changed section gives one event naming only it; a rewrite of the same value gives none', async () => {
    await consul.kvPut(sectionKey('vm-before', 'platform'), canonicalJson(facts('1.0.0').platform));
    await write('vm-before', '2.0.0');
    await until('the vm-before event', () => events().some((e) => e.node === 'vm-before'), 20_000);
    await write('vm-new', '1.0.0');
    const marker = await write('vm-marker', '1.0.0');
    expect(marker.written).toEqual(['manifest', 'platform', 'kernel', 'app']);
    await until('the vm-marker event', () => events().some((e) => e.node === 'vm-marker'), 20_000);
    const before = events().filter((e) => e.node === 'vm-before');
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ changed: ['app'], firstSeen: false });
    expect(events().filter((e) => e.node === 'vm-new')).toHaveLength(1);
  });

  it('malformed values are reported once each and the watch goes on', async () => {
    await consul.kvPut('vm-config/vm-bad/notjson', 'this is not json');
    await consul.kvPut('vm-config/vm-bad/array', '[1,2,3]');
    await consul.kvPut('vm-config/vm-bad/huge', JSON.stringify({ blob: 'x'.repeat(420 * 1024) }));
    await consul.kvPut('vm-config/stray-key', '{}');
    await write('vm-after-bad', '1.0.0');
    await until('the vm-after-bad event', () => events().some((e) => e.node === 'vm-after-bad'), 20_000);
    expect(malformed.map((m) => [m.key, m.reason]).sort()).toEqual([
      ['vm-config/stray-key', 'the key is not vm-config/<node>/<section>'],
      ['vm-config/vm-bad/array', 'the value is not a JSON object'],
      ['vm-config/vm-bad/huge', `the value is larger than ${400 * 1024} bytes`],
      ['vm-config/vm-bad/notjson', 'the value is not JSON'],
    ]);
    expect(events().filter((e) => e.node === 'vm-bad')).toEqual([]);
  });

  it('goes on after Consul restarts: a change made after the restart gives its event, unchanged rewrites none', async () => {
    const count = events().length;
    await consulServer.restart();
    // Dev-mode Consul forgets its data: the collectors write again, mostly the same facts.
    await until('Consul back after the restart', async () => (await consul.kvPut('probe/alive', '1').catch(() => false)) === true, 30_000);
    await write('vm-new', '1.0.0');
    await write('vm-before', '3.0.0');
    await until('the post-restart vm-before event', () => events().slice(count).some((e) => e.node === 'vm-before'), 60_000);
    const after = events().slice(count);
    expect(errors.length).toBeGreaterThan(0);
    expect(after.map((e) => [e.node, e.changed])).toEqual([['vm-before', ['app']]]);
  }, 120_000);
});
