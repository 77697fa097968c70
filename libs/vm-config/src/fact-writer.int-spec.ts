import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsulClient } from '@opzero/consul';
import { consulAvailability, startConsul, type ConsulServer } from '@opzero/testing';
import { collectFacts } from '@opzero/vm-facts';
import { collectAndWrite, sectionKey } from './index';

const availability = consulAvailability();
const describeConsul = availability.available ? describe : describe.skip;
if (!availability.available) process.stderr.write(`[consul tests skipped] ${availability.reason}\n`);

describeConsul('the collector on this machine, writing to a real Consul', () => {
  let server: ConsulServer;
  let consul: ConsulClient;
  let plugins: string;

  const setPlugin = async (release: string) => {
    await writeFile(join(plugins, 'app'), `#!/bin/sh\necho '{"release":"${release}"}'\n`);
    await chmod(join(plugins, 'app'), 0o755);
  };
  const run = () => collectAndWrite({ consul, node: 'vm-under-test', address: '127.0.0.1', collect: () => collectFacts({ pluginsDir: plugins }) });

  beforeAll(async () => {
    server = await startConsul();
    consul = new ConsulClient({ address: server.address });
    plugins = await mkdtemp(join(tmpdir(), 'vm-config-plugins-'));
    await setPlugin('1.0.0');
  }, 120_000);
  afterAll(async () => {
    consul?.close();
    await server?.stop();
  });

  it('writes one key per section and registers the node with os/os_version/kernel metadata', async () => {
    const report = await run();
    expect(report.written).toEqual(expect.arrayContaining(['platform', 'kernel', 'cpu', 'network', 'packages', 'accounts', 'app', 'collector', 'usage', 'manifest']));
    expect(report.refused).toEqual([]);
    expect(report.catalogUpdated).toBe(true);
    const platform = JSON.parse((await consul.kvGet(sectionKey('vm-under-test', 'platform'))).value!.value!) as Record<string, string>;
    expect(platform['platform']).toBe('debian');
    const packages = JSON.parse((await consul.kvGet(sectionKey('vm-under-test', 'packages'))).value!.value!) as Record<string, { version: string }>;
    expect(packages['dpkg']?.version).toMatch(/^\d/);
    expect(JSON.parse((await consul.kvGet(sectionKey('vm-under-test', 'app'))).value!.value!)).toEqual({ release: '1.0.0' });

    const kernel = JSON.parse((await consul.kvGet(sectionKey('vm-under-test', 'kernel'))).value!.value!) as { release: string };
    const debian = await consul.catalogNodes({ nodeMeta: { os: 'debian', kernel: kernel.release } });
    expect(debian.value.find((node) => node.node === 'vm-under-test')?.meta).toEqual({ os: 'debian', os_version: platform['platform_version'], kernel: kernel.release, vm_config: 'true' });
    const windows = await consul.catalogNodes({ nodeMeta: { os: 'windows' } });
    expect(windows.value.map((node) => node.node)).not.toContain('vm-under-test');
  });

  it('a second run writes nothing', async () => {
    const before = (await consul.kvList('vm-config/')).index;
    const report = await run();
    expect(report.written).toEqual([]);
    expect(report.removed).toEqual([]);
    expect(report.catalogUpdated).toBe(false);
    expect((await consul.kvList('vm-config/')).index).toBe(before);
  });

  it('a changed plugin output rewrites only that section; a removed plugin deletes its key', async () => {
    await setPlugin('1.1.0');
    // The manifest (every section's hash, written first) changes with it.
    expect((await run()).written).toEqual(['manifest', 'app']);
    expect(JSON.parse((await consul.kvGet(sectionKey('vm-under-test', 'app'))).value!.value!)).toEqual({ release: '1.1.0' });
    await chmod(join(plugins, 'app'), 0o644);
    const report = await run();
    expect(report.written).toEqual(['manifest']);
    expect(report.removed).toEqual(['app']);
    expect((await consul.kvGet(sectionKey('vm-under-test', 'app'))).value).toBeNull();
  });

  it('a section changed by another writer between read and write is refused (check-and-set), not overwritten', async () => {
    const key = sectionKey('vm-under-test', 'timezone');
    await consul.kvPut(key, '{"name":"Somewhere/Else"}');
    const racing = new ConsulClient({ address: server.address });
    // Another writer slips in after the collector listed the keys: the cas index is stale.
    const original = racing.kvList.bind(racing);
    racing.kvList = async (prefix, blocking) => {
      const listing = await original(prefix, blocking);
      await consul.kvPut(key, '{"name":"Third/Writer"}');
      return listing;
    };
    const report = await collectAndWrite({ consul: racing, node: 'vm-under-test', address: '127.0.0.1', collect: () => collectFacts({ pluginsDir: plugins }) });
    racing.close();
    expect(report.refused).toEqual([{ section: 'timezone', reason: 'changed by another writer since it was read (check-and-set)' }]);
    expect((await consul.kvGet(key)).value?.value).toBe('{"name":"Third/Writer"}');
  });
});
