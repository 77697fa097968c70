// An app's production build is self-contained: copied away from the repository (no node_modules
// to fall back on), it starts under plain node, becomes ready on real Kafka, loads its lazily
// imported Kubernetes client and exits 0 on SIGTERM.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, startKafka, type KafkaServer } from '@opzero/testing';
import { appEnv, startDemoApp, type DemoApp } from '../demo/app-process';
import { appDist, bundleApp } from './bundle-app';

describe('bundleApp: a production build that runs without the repository', () => {
  let kafka: KafkaServer;
  let copy: string;
  let app: DemoApp | undefined;

  beforeAll(async () => {
    [kafka] = await Promise.all([startKafka(), bundleApp('unseal-keeper')]);
    copy = await mkdtemp(join(tmpdir(), 'opzero-bundle-'));
    await cp(appDist('unseal-keeper'), copy, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await app?.process.kill();
    await kafka?.stop();
    await rm(copy, { recursive: true, force: true });
  });

  it('holds only main.js and the one package it imports lazily', async () => {
    expect((await readdir(copy)).sort()).toEqual(['main.js', 'node_modules']);
    expect(await readdir(join(copy, 'node_modules'))).toEqual(['@kubernetes']);
  });

  it('loads @kubernetes/client-node from beside main.js', () => {
    const loaded = execFileSync(process.execPath, ['-e', "import('@kubernetes/client-node').then((m) => console.log(typeof m.KubeConfig, typeof m.CoordinationV1Api))"], {
      cwd: copy,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(loaded.trim()).toBe('function function');
  });

  it('starts under plain node, becomes ready on real Kafka and exits 0 on SIGTERM', async () => {
    const [port] = await freePorts(1);
    app = await startDemoApp('unseal-keeper', port as number, appEnv('unseal-keeper', port as number, { brokers: kafka.brokers }), undefined, join(copy, 'main.js'));
    expect(await app.process.stop()).toBe(0);
  }, 180_000);
});
