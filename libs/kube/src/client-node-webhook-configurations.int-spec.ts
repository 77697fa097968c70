import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeCaBundle } from './webhook-ca-bundle.writer';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBstub\n-----END CERTIFICATE-----\n';
const PATH = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/opzero-injector';

interface Recorded {
  method: string;
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** A stub of the API server's two endpoints the writer uses, recording every request. */
function stubApiServer(webhooks: { name: string; clientConfig: Record<string, unknown> }[]) {
  const requests: Recorded[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], authorization: request.headers.authorization, body });
      const path = (request.url ?? '').split('?')[0];
      if (path !== PATH) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 404 }));
        return;
      }
      const configuration = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'opzero-injector', resourceVersion: '7' },
        webhooks,
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(configuration));
    });
  });
  return { server, requests };
}

const hook = (name: string, caBundle?: string) => ({
  name,
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { service: { name: 'opzero-injector', namespace: 'opzero', path: '/mutate' }, ...(caBundle ? { caBundle } : {}) },
});

async function runDriver(server: Server): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-int-'));
  const pemFile = join(dir, 'ca.pem');
  writeFileSync(pemFile, PEM);
  const { port } = server.address() as AddressInfo;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--require', '@swc-node/register', join(__dirname, 'test/write-ca-bundle.driver.ts'), `http://127.0.0.1:${port}`, 'opzero-injector', pemFile],
    { cwd: join(__dirname, '../../..') },
  );
  return stdout;
}

describe('clientNodeWebhookConfigurations against a stub API server', () => {
  let stub: ReturnType<typeof stubApiServer> | undefined;
  afterEach(() => new Promise<void>((resolve) => (stub ? stub.server.close(() => resolve()) : resolve())));

  async function listen(webhooks: ReturnType<typeof hook>[]) {
    stub = stubApiServer(webhooks);
    await new Promise<void>((resolve) => stub!.server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  it('reads the configuration, then sends one JSON patch setting caBundle on both webhooks', async () => {
    const { server, requests } = await listen([hook('a.opzero.io'), hook('b.opzero.io', 'b2xk')]);
    expect(JSON.parse(await runDriver(server))).toEqual({ configuration: 'opzero-injector', webhooksPatched: 2 });

    expect(requests.map((r) => [r.method, r.url.split('?')[0]])).toEqual([
      ['GET', PATH],
      ['PATCH', PATH],
    ]);
    const patch = requests[1]!;
    expect(patch.contentType).toBe('application/json-patch+json');
    expect(patch.authorization).toBe('Bearer stub-token');
    expect(new URL(patch.url, 'http://x').searchParams.get('fieldManager')).toBe('opzero-injector');
    expect(JSON.parse(patch.body)).toEqual([
      { op: 'test', path: '/webhooks/0/name', value: 'a.opzero.io' },
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: encodeCaBundle(PEM) },
      { op: 'test', path: '/webhooks/1/name', value: 'b.opzero.io' },
      { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: encodeCaBundle(PEM) },
    ]);
  });

  it('only reads when every caBundle already matches', async () => {
    const { server, requests } = await listen([hook('a.opzero.io', encodeCaBundle(PEM))]);
    expect(JSON.parse(await runDriver(server))).toEqual({ configuration: 'opzero-injector', webhooksPatched: 0 });
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });
});
