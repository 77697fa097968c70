import { ConsulClient, ConsulError } from '@opzero/consul';
import { consulAvailability, startConsul, type ConsulServer } from '@opzero/testing';
import { collectorAclPolicy, sectionKey, writeFacts } from './index';

const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

const MANAGEMENT = '3f6b1c52-9a11-4c0e-8d7e-5b0f6f1d2a10';
const facts = { platform: { platform: 'debian', platform_version: '12' }, kernel: { release: '6.1.0-27-amd64' } };

/** Creates a policy and a token holding it with Consul's ACL API; returns the token's secret. */
async function tokenFor(address: string, node: string): Promise<string> {
  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${address}/v1/acl/${path}`, { method: 'PUT', headers: { 'X-Consul-Token': MANAGEMENT }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`acl/${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { SecretID?: string };
  };
  await put('policy', { Name: `collector-${node}`, Rules: collectorAclPolicy(node) });
  return (await put('token', { Policies: [{ Name: `collector-${node}` }] })).SecretID!;
}

describeConsul('a collector token on a Consul with ACLs (deny by default)', () => {
  let server: ConsulServer;
  let admin: ConsulClient;
  let collector: ConsulClient;

  beforeAll(async () => {
    server = await startConsul({ acl: { managementToken: MANAGEMENT } });
    admin = new ConsulClient({ address: server.address, token: MANAGEMENT });
    collector = new ConsulClient({ address: server.address, token: await tokenFor(server.address, 'vm-a') });
  }, 120_000);
  afterAll(async () => {
    admin?.close();
    collector?.close();
    await server?.stop();
  });

  it('writes its own node\'s keys and catalog entry', async () => {
    const report = await writeFacts(collector, facts, { node: 'vm-a', address: '10.0.0.5' });
    expect(report.written).toEqual(['manifest', 'platform', 'kernel']);
    expect(report.catalogUpdated).toBe(true);
    expect((await admin.kvGet(sectionKey('vm-a', 'platform'))).value?.value).toBe('{"platform":"debian","platform_version":"12"}');
    expect((await admin.catalogNodes({ nodeMeta: { os: 'debian' } })).value.map((n) => n.node)).toEqual(['vm-a']);
  });

  it('cannot write another node\'s keys, nor register another node', async () => {
    const refused = await writeFacts(collector, facts, { node: 'vm-b', address: '10.0.0.6' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConsulError);
    expect((refused as ConsulError).status).toBe(403);
    expect((await admin.kvList('vm-config/vm-b/')).value).toEqual([]);
    await expect(collector.catalogRegister({ node: 'vm-b', address: '10.0.0.6', nodeMeta: { os: 'debian' } })).rejects.toMatchObject({ status: 403 });
    await expect(collector.kvPut('vm-config/vm-b/platform', '{}')).rejects.toMatchObject({ status: 403 });
    expect((await admin.catalogNodes()).value.map((n) => n.node)).not.toContain('vm-b');
  });
});
