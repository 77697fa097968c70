import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { consulAvailability, freePort, localCertificateFiles, startConsul, type ConsulServer } from '@opzero/testing';
import { ConsulClient, ConsulError, type KvEntry, type KvResult } from './index';

// The one allowed skip: where Consul cannot be built here, the reason is printed and these
// tests run wherever a Consul image exists.
const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

describeConsul('ConsulClient on a real Consul', () => {
  let server: ConsulServer;
  let consul: ConsulClient;

  beforeAll(async () => {
    server = await startConsul();
    consul = new ConsulClient({ address: server.address });
  }, 120_000);
  afterAll(() => server?.stop());

  it('puts and gets a key, and reports a missing one as null', async () => {
    expect(await consul.kvPut('vm-config/web-01', '{"platform":"debian"}')).toBe(true);
    const entry = await consul.kvGet('vm-config/web-01');
    expect(entry.value?.value).toBe('{"platform":"debian"}');
    expect(entry.index).toBeGreaterThan(0);
    expect((await consul.kvGet('vm-config/nobody')).value).toBeNull();
  });

  it('check-and-set refuses a stale index', async () => {
    await consul.kvPut('cas/key', 'one');
    const { value } = await consul.kvGet('cas/key');
    expect(await consul.kvPut('cas/key', 'two', { cas: value!.modifyIndex })).toBe(true);
    expect(await consul.kvPut('cas/key', 'three', { cas: value!.modifyIndex })).toBe(false);
    expect((await consul.kvGet('cas/key')).value?.value).toBe('two');
  });

  it('a blocking query returns when the key changes, with the new value and a higher index', async () => {
    await consul.kvPut('watch/me', 'before');
    const first = await consul.kvGet('watch/me');
    const started = Date.now();
    const blocked = consul.kvGet('watch/me', { index: first.index, wait: '30s' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consul.kvPut('watch/me', 'after');
    const changed = await blocked;
    expect(changed.value?.value).toBe('after');
    expect(changed.index).toBeGreaterThan(first.index);
    // It waited for the change instead of answering at once, and well before the 30 s limit.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('lists a prefix recursively', async () => {
    await consul.kvPut('list/a', '1');
    await consul.kvPut('list/b/c', '2');
    const { value } = await consul.kvList('list/');
    expect(value.map((entry) => entry.key)).toEqual(['list/a', 'list/b/c']);
  });

  it('deletes with check-and-set, and a whole prefix with recurse', async () => {
    await consul.kvPut('del/one', '1');
    const { value } = await consul.kvGet('del/one');
    await consul.kvPut('del/one', '2');
    expect(await consul.kvDelete('del/one', { cas: value!.modifyIndex })).toBe(false);
    expect((await consul.kvGet('del/one')).value?.value).toBe('2');
    const current = (await consul.kvGet('del/one')).value!;
    expect(await consul.kvDelete('del/one', { cas: current.modifyIndex })).toBe(true);
    expect((await consul.kvGet('del/one')).value).toBeNull();

    await consul.kvPut('del/tree/a', 'x');
    await consul.kvPut('del/tree/b/c', 'y');
    await consul.kvPut('del/treehouse', 'stays');
    expect(await consul.kvDelete('del/tree/', { recurse: true })).toBe(true);
    expect((await consul.kvList('del/')).value.map((entry) => entry.key)).toEqual(['del/treehouse']);
  });

  it('lists key names, one level deep with a separator', async () => {
    await consul.kvPut('keys/a', '1');
    await consul.kvPut('keys/dir/b', '2');
    expect((await consul.kvKeys('keys/')).value).toEqual(['keys/a', 'keys/dir/b']);
    expect((await consul.kvKeys('keys/', { separator: '/' })).value).toEqual(['keys/a', 'keys/dir/']);
    expect((await consul.kvKeys('keys-none/')).value).toEqual([]);
  });

  it('a blocking list on a prefix wakes on a change below it; without a change it returns the same index after wait', async () => {
    await consul.kvPut('block/a', '1');
    const first = await consul.kvList('block/');
    const idle = await consul.kvList('block/', { index: first.index, wait: '1s' });
    expect(idle.index).toBe(first.index);
    const blocked = consul.kvList('block/', { index: first.index, wait: '30s' });
    await consul.kvPut('block/b', '2');
    const changed = await blocked;
    expect(changed.value.map((entry) => entry.key)).toEqual(['block/a', 'block/b']);
    expect(changed.index).toBeGreaterThan(first.index);
  });

  it('an AbortSignal cancels a blocking query with an aborted ConsulError', async () => {
    await consul.kvPut('abort/me', 'x');
    const { index } = await consul.kvGet('abort/me');
    const controller = new AbortController();
    const blocked = consul.kvGet('abort/me', { index, wait: '5m', signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    expect(await blocked).toMatchObject({ name: 'ConsulError', status: 0, code: 'aborted', transient: false });
    await expect(consul.kvGet('abort/me', { index, signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses a wait that is not a Consul duration up to 10m, naming the field', async () => {
    await expect(consul.kvGet('x', { index: 1, wait: '11m' })).rejects.toMatchObject({ code: 'invalid-request', detail: expect.stringMatching(/^wait: /) });
    await expect(consul.kvGet('x', { index: 1, wait: '1d' })).rejects.toBeInstanceOf(ConsulError);
  });

  it('watchKv reports the current entries, then each change, until stopped', async () => {
    await consul.kvPut('watched/a', '1');
    const seen: KvResult<KvEntry[]>[] = [];
    const changes = (count: number) =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => seen.length >= count && (clearInterval(check), resolve()), 20);
      });
    const watch = consul.watchKv('watched/', { onChange: (result) => seen.push(result) }, { recurse: true, wait: '30s' });
    await changes(1);
    expect(seen[0]!.value.map((entry) => [entry.key, entry.value])).toEqual([['watched/a', '1']]);
    await consul.kvPut('watched/b', '2');
    await changes(2);
    expect(seen[1]!.value.map((entry) => entry.key)).toEqual(['watched/a', 'watched/b']);
    expect(seen[1]!.index).toBeGreaterThan(seen[0]!.index);
    expect(watch.running).toBe(true);
    watch.stop();
    expect(watch.running).toBe(false);
  });

  it('watchKv reports failures to onError as ConsulErrors while it retries', async () => {
    const down = new ConsulClient({ address: `http://127.0.0.1:${await freePort()}` });
    const errors: ConsulError[] = [];
    const watch = down.watchKv('anything', { onChange: () => undefined, onError: (error) => errors.push(error) });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => errors.length >= 2 && (clearInterval(check), resolve()), 20);
    });
    watch.stop();
    expect(errors[0]).toBeInstanceOf(ConsulError);
    expect(errors[0]).toMatchObject({ status: 0, code: 'network', path: 'kv/anything' });
    down.close();
  });

  it('registers a node with metadata and a service, finds them by node meta, and deregisters them', async () => {
    await consul.catalogRegister({
      node: 'vm-web-01',
      address: '10.0.0.7',
      nodeMeta: { source: 'vm-config', os: 'debian' },
      service: { id: 'web-1', service: 'web', tags: ['blue'], port: 8080, meta: { version: '3' } },
    });
    await consul.catalogRegister({ node: 'vm-db-01', address: '10.0.0.8', nodeMeta: { source: 'vm-config', os: 'rhel' } });

    const debian = await consul.catalogNodes({ nodeMeta: { source: 'vm-config', os: 'debian' } });
    expect(debian.value.map((node) => [node.node, node.address, node.meta])).toEqual([['vm-web-01', '10.0.0.7', { source: 'vm-config', os: 'debian' }]]);
    expect(debian.index).toBeGreaterThan(0);
    expect((await consul.catalogNodes({ nodeMeta: { source: 'vm-config' } })).value.map((node) => node.node)).toEqual(['vm-db-01', 'vm-web-01']);
    expect((await consul.catalogServices({ nodeMeta: { os: 'debian' } })).value).toEqual({ web: ['blue'] });
    const web = (await consul.catalogService('web', { tag: 'blue' })).value;
    expect(web).toMatchObject([{ node: 'vm-web-01', address: '10.0.0.7', serviceId: 'web-1', servicePort: 8080, serviceTags: ['blue'], serviceMeta: { version: '3' }, nodeMeta: { os: 'debian' } }]);
    expect((await consul.catalogService('web', { tag: 'green' })).value).toEqual([]);

    await consul.catalogDeregister({ node: 'vm-web-01', serviceId: 'web-1' });
    expect((await consul.catalogService('web')).value).toEqual([]);
    await consul.catalogDeregister({ node: 'vm-web-01' });
    await consul.catalogDeregister({ node: 'vm-db-01' });
    expect((await consul.catalogNodes({ nodeMeta: { source: 'vm-config' } })).value).toEqual([]);
  });

  it('finds the Consul servers as the consul service, and the raft peers include the leader', async () => {
    const servers = (await consul.catalogService('consul')).value;
    expect(servers).toHaveLength(1);
    expect(servers[0]!.address).toBe('127.0.0.1');
    const leader = await consul.leader();
    expect(await consul.peers()).toEqual([leader]);
    expect(leader).toBe(`127.0.0.1:${servers[0]!.servicePort}`);
  });

  it('describes the answering agent (agentSelf), also over a fresh connection per request', async () => {
    const probe = new ConsulClient({ address: server.address, keepAlive: false });
    const self = await probe.agentSelf();
    expect(self['Config']).toMatchObject({ Datacenter: 'dc1', Server: true });
    expect((self['Stats'] as { raft?: { state?: string } }).raft?.state).toBe('Leader');
    expect(await probe.leader()).toBe(await consul.leader());
    probe.close();
  });

  it('sessions: one holder at a time for a key, release, renew, and a destroyed session is gone', async () => {
    const first = await consul.sessionCreate({ name: 'unseal-keeper-a', ttl: '30s', behavior: 'release', lockDelay: '0s', checks: [] });
    const second = await consul.sessionCreate({ name: 'unseal-keeper-b', ttl: '30s', lockDelay: '0s', checks: [] });
    expect(await consul.sessionInfo(first)).toMatchObject({ id: first, name: 'unseal-keeper-a', ttl: '30s', behavior: 'release' });

    expect(await consul.kvAcquire('locks/leader', 'a', first)).toBe(true);
    expect(await consul.kvAcquire('locks/leader', 'b', second)).toBe(false);
    expect((await consul.kvGet('locks/leader')).value).toMatchObject({ value: 'a', session: first, lockIndex: 1 });
    expect(await consul.kvRelease('locks/leader', 'a', second)).toBe(false);
    expect(await consul.kvRelease('locks/leader', 'released', first)).toBe(true);
    expect((await consul.kvGet('locks/leader')).value?.session).toBeUndefined();
    expect(await consul.kvAcquire('locks/leader', 'b', second)).toBe(true);

    expect(await consul.sessionRenew(first)).toMatchObject({ id: first, ttl: '30s' });
    await consul.sessionDestroy(second);
    expect((await consul.kvGet('locks/leader')).value?.session).toBeUndefined();
    expect(await consul.sessionRenew(second)).toBeNull();
    expect(await consul.sessionInfo(second)).toBeNull();
    await consul.sessionDestroy(first);
  });

  it('reports Consul refusals with the status and its text, and never the token', async () => {
    const token = 'a3f1c2d4-0000-4000-8000-token-secret';
    const withToken = new ConsulClient({ address: server.address, token });
    const error = await withToken.kvAcquire('locks/x', 'v', 'not-a-session').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsulError);
    expect(error).toMatchObject({ status: 500, path: 'kv/locks/x', detail: expect.stringMatching(/session/i) });
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(token);
    withToken.close();

    const unreachable = new ConsulClient({ address: `http://127.0.0.1:${await freePort()}`, token });
    const down = await unreachable.leader().catch((e: unknown) => e);
    expect(down).toMatchObject({ name: 'ConsulError', status: 0, code: 'network', transient: true });
    expect(JSON.stringify(down) + String(down) + (down as Error).stack).not.toContain(token);
    expect((down as Error).cause).toBeUndefined();
  });

  it('stale and consistent reads, with what the server knew of the leader', async () => {
    await consul.kvPut('consistency/k', 'v');
    const stale = await consul.kvGet('consistency/k', { consistency: 'stale' });
    expect(stale).toMatchObject({ value: { value: 'v' }, knownLeader: true });
    expect(stale.lastContact).toBeGreaterThanOrEqual(0);
    expect(await consul.kvGet('consistency/k', { consistency: 'consistent' })).toMatchObject({ value: { value: 'v' }, knownLeader: true });
  });

  it('sends the datacenter: an unknown one is refused by Consul', async () => {
    const elsewhere = new ConsulClient({ address: server.address, datacenter: 'dc-nowhere' });
    await expect(elsewhere.kvGet('x')).rejects.toMatchObject({ status: 500, detail: expect.stringMatching(/datacenter/i) });
    elsewhere.close();
  });

  it('a blocking catalog read wakes when a node registers', async () => {
    const before = await consul.catalogNodes({ nodeMeta: { source: 'blocking-test' } });
    const blocked = consul.catalogNodes({ nodeMeta: { source: 'blocking-test' }, index: before.index, wait: '30s' });
    await consul.catalogRegister({ node: 'vm-late', address: '10.0.0.9', nodeMeta: { source: 'blocking-test' } });
    const after = await blocked;
    expect(after.value.map((node) => node.node)).toEqual(['vm-late']);
    expect(after.index).toBeGreaterThan(before.index);
    await consul.catalogDeregister({ node: 'vm-late' });
  });

  it('reports a leader', async () => {
    expect(await consul.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describeConsul('ConsulClient on a real Consul with ACLs (deny by default) and an HTTPS listener', () => {
  let server: ConsulServer;
  let ca: string;
  let client: { cert: string; key: string };
  const managementToken = randomUUID();
  const pem = async () => {
    const files = await localCertificateFiles();
    return { ca: files.ca, cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
  };

  beforeAll(async () => {
    const [serverPem, clientPem] = await Promise.all([pem(), pem()]);
    ca = serverPem.ca;
    client = { cert: clientPem.cert, key: clientPem.key };
    server = await startConsul({ acl: { managementToken }, tls: { cert: serverPem.cert, key: serverPem.key, clientCa: clientPem.ca } });
  }, 120_000);
  afterAll(() => server?.stop());

  it('sends the token: with it KV works, without it Consul refuses, and a watch carries it too', async () => {
    const admin = new ConsulClient({ address: server.address, token: managementToken });
    expect(await admin.kvPut('acl/key', 'v')).toBe(true);
    expect((await admin.kvGet('acl/key')).value?.value).toBe('v');

    const anonymous = new ConsulClient({ address: server.address });
    await expect(anonymous.kvPut('acl/key', 'w')).rejects.toMatchObject({ name: 'ConsulError', status: 403 });

    const seen: string[] = [];
    const watch = admin.watchKv('acl/key', { onChange: (result) => seen.push(result.value[0]?.value ?? '') });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => seen.length >= 1 && (clearInterval(check), resolve()), 20);
    });
    watch.stop();
    expect(seen[0]).toBe('v');
    admin.close();
    anonymous.close();
  });

  it('a wrong token is refused, and neither token appears in the error', async () => {
    const wrong = randomUUID();
    const error = await new ConsulClient({ address: server.address, token: wrong }).kvGet('acl/key').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConsulError', status: 403, path: 'kv/acl/key' });
    const text = JSON.stringify(error) + String(error) + (error as Error).stack;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(managementToken);
  });

  it('talks mutual TLS with our CA and a client certificate; refuses an unvouched server, a wrong name, a missing client certificate', async () => {
    const https = (tls: ConstructorParameters<typeof ConsulClient>[0]['tls']) =>
      new ConsulClient({ address: server.httpsAddress!, token: managementToken, ...(tls ? { tls } : {}) });
    expect(await https({ ca, ...client }).kvPut('tls/key', 'over https')).toBe(true);
    expect((await https({ ca, ...client, servername: 'localhost' }).kvGet('tls/key')).value?.value).toBe('over https');
    await expect(https({ ...client }).kvGet('tls/key')).rejects.toMatchObject({ status: 0, code: 'network' });
    await expect(https({ ca, ...client, servername: 'consul.elsewhere.example' }).kvGet('tls/key')).rejects.toMatchObject({ status: 0, code: 'network' });
    await expect(https({ ca }).kvGet('tls/key')).rejects.toMatchObject({ status: 0, code: 'network' });
    expect((await https({ skipVerify: true, ...client }).kvGet('tls/key')).value?.value).toBe('over https');
  });
});
