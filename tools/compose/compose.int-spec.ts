// docker-compose.yml as users run it, proven on this machine: the five production images built
// (tools/images/build.sh), the file brought up by podman-compose with the local images (or
// `docker compose` with the official ones), every app ready, OpenBao initialised and unsealed by
// the unseal-keeper, one event of each kind the system produces on its own or through its front
// doors, the VM Config list answering from PostgreSQL (Debian's package in a local image here,
// the official image on a Docker host), then taken down with nothing left running.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, EventConsumer } from '@opzero/bus';
import { contracts, Topics, type Topic } from '@opzero/contracts';
import { requestJson, waitFor } from '@opzero/testing';
import { podWith, reviewOf } from '../../libs/annotations/corpus/admission-corpus';
import { composeProject, runCommand, type ComposePort, type ComposeProject } from './compose-project';

const ROOT = join(__dirname, '../..');
const MINUTE = 60_000;

/** GET/POST over HTTPS to the injector, whose certificate it generated itself inside its container. */
function injectorRequest(port: number, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request({ host: '127.0.0.1', port, method, path, headers, rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('docker-compose.yml under the local container engine', () => {
  let project: ComposeProject;
  let up = false;
  const received = new Map<Topic, unknown>();
  let consumer: EventConsumer | undefined;

  const http = (port: ComposePort) => `http://127.0.0.1:${project.ports[port]}`;
  const logs = async () => (await project.run(['logs', '--tail', '30'], 2 * MINUTE)).output.slice(-6000);

  beforeAll(async () => {
    // First: it loads testing.env (the engine, CONTAINERS_CONF) that the image build needs too.
    project = await composeProject(`opzero-compose-${randomUUID().slice(0, 8)}`);
    const images = await runCommand('bash', ['tools/images/build.sh'], 20 * MINUTE);
    if (images.status !== 0) throw new Error(`tools/images/build.sh exited ${images.status}:\n${images.output.slice(-3000)}`);
    const started = await project.run(['up', '-d'], 10 * MINUTE);
    up = true;
    if (started.status !== 0) throw new Error(`compose up exited ${started.status}:\n${started.output.slice(-3000)}`);
  }, 35 * MINUTE);

  afterAll(async () => {
    await consumer?.stop();
    if (up) await project.run(['down', '-v', '-t', '10'], 5 * MINUTE);
  }, 6 * MINUTE);

  it('brings every app to /readyz 200', async () => {
    const apps: ComposePort[] = ['AGENT_RENDERER', 'UNSEAL_KEEPER', 'VM_CONFIG_COLLECTOR', 'CONSUL_GATEWAY'];
    try {
      for (const app of apps) await waitFor(`${app} ready`, async () => ((await requestJson('GET', `${http(app)}/readyz`)).status === 200 ? true : undefined), { timeoutMs: 5 * MINUTE });
      await waitFor('injector ready', async () => ((await injectorRequest(project.ports.INJECTOR, 'GET', '/readyz')).status === 200 ? true : undefined), { timeoutMs: 5 * MINUTE });
    } catch (error) {
      throw new Error(`${String(error)}\n${await logs()}`);
    }
    // The collector service is ready only with its database: migrated, and answering its check.
    expect((await requestJson('GET', `${http('VM_CONFIG_COLLECTOR')}/readyz`)).body).toEqual(expect.objectContaining({ checks: expect.objectContaining({ postgres: true }) }));
  }, 12 * MINUTE);

  it('has OpenBao initialised and unsealed by the unseal-keeper (a real server, not dev mode)', async () => {
    const status = await waitFor(
      'OpenBao unsealed',
      async () => {
        const body = (await requestJson('GET', `${http('VAULT')}/v1/sys/seal-status`)).body as { initialized?: boolean; sealed?: boolean; storage_type?: string };
        return body.initialized && body.sealed === false ? body : undefined;
      },
      { timeoutMs: 5 * MINUTE },
    );
    expect(status.storage_type).toBe('raft');
  }, 6 * MINUTE);

  it('carries one event of each kind the system produces on its own or through its front doors', async () => {
    const wanted: Topic[] = [Topics.sealed, Topics.unsealed, Topics.consulServersChanged, Topics.podCreated, Topics.vmconfigCollected];
    const client = createKafka({ brokers: [`127.0.0.1:${project.ports.KAFKA}`], clientId: 'compose-test' });
    consumer = new EventConsumer(client, { groupId: `compose-test-${randomUUID()}` });
    for (const topic of wanted) {
      consumer.on(contracts[topic], async (event, context) => void received.set(context.topic, event));
    }
    await consumer.start();

    // The injector: an annotated pod's admission review, as the API server would send it.
    const review = reviewOf(podWith({ 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-secret-db': 'secret/data/db' }));
    const mutated = await injectorRequest(project.ports.INJECTOR, 'POST', '/mutate', JSON.stringify(review));
    expect(mutated.status).toBe(200);
    expect((JSON.parse(mutated.text) as { response: { patch?: string } }).response.patch).toBeDefined();

    // The collector CLI on this machine writes its facts through the consul-gateway.
    const plugins = await mkdtemp(join(tmpdir(), 'compose-plugins-'));
    const collector = spawnSync(process.execPath, ['--require', '@swc-node/register', 'apps/vm-config-collector/src/collector/main.ts', '--once'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 2 * MINUTE,
      env: {
        PATH: process.env['PATH'] ?? '',
        VM_CONFIG_COLLECTOR_CONSUL_ADDRESS: http('GATEWAY_API'),
        VM_CONFIG_COLLECTOR_NODE_NAME: 'compose-test-vm',
        VM_CONFIG_COLLECTOR_PLUGINS_DIR: plugins,
      },
    });
    expect({ status: collector.status, stderr: collector.stderr.slice(-2000) }).toEqual({ status: 0, stderr: expect.any(String) });

    try {
      await waitFor('one event of each kind', async () => (wanted.every((topic) => received.has(topic)) ? true : undefined), { timeoutMs: 5 * MINUTE });
    } catch (error) {
      throw new Error(`${String(error)}; received ${[...received.keys()].join(', ')}\n${await logs()}`);
    }
    expect(received.get(Topics.unsealed)).toEqual(expect.objectContaining({ node: 'http://vault:8200' }));
    expect(received.get(Topics.vmconfigCollected)).toEqual(expect.objectContaining({ node: 'compose-test-vm' }));
  }, 12 * MINUTE);

  it('serves the VM Config list: the page, and the collected node from PostgreSQL through the API', async () => {
    const page = await fetch(`${http('VM_CONFIG_COLLECTOR')}/vm-config/`);
    expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('text/html') });
    const url = `${http('VM_CONFIG_COLLECTOR')}/v1/vm-config/nodes?q=compose-test-vm`;
    expect((await requestJson('GET', url)).status).toBe(401);
    // Stored before its event was published: it is there by now.
    const listed = await fetch(url, { headers: { authorization: `Bearer ${project.vmConfigToken}` } });
    expect({ status: listed.status, body: await listed.json() }).toEqual({ status: 200, body: expect.objectContaining({ items: [expect.objectContaining({ node: 'compose-test-vm', version: 1 })] }) });
  }, 2 * MINUTE);

  it('goes down with nothing left: no container, volume or network of the project', async () => {
    await consumer?.stop();
    consumer = undefined;
    const down = await project.run(['down', '-v', '-t', '10'], 5 * MINUTE);
    up = false;
    expect(down.status).toBe(0);
    const leftovers = (args: string[]) => spawnSync(project.engine, args, { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes(project.name));
    expect(leftovers(['ps', '-a', '--format', '{{.Names}}'])).toEqual([]);
    expect(leftovers(['volume', 'ls', '--format', '{{.Name}}'])).toEqual([]);
    expect(leftovers(['network', 'ls', '--format', '{{.Name}}'])).toEqual([]);
  }, 6 * MINUTE);
});
