import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentLogger } from '../log/agent-logger';
import { RotationSubscription } from './rotation-subscription';
import { kvV2VersionOf, SecretVersions } from './secret-versions';
import { rotationAddressFrom } from './rotation-push';

type Handler = (body: { paths: string[]; known: Record<string, number>; waitMs: number }, token: string | undefined, res: ServerResponse) => void;

/** A stand-in for the rotation service's watch route, answering with `handler`. */
async function watchServer(handler: Handler): Promise<{ server: Server; url: URL; requests: number }> {
  const state = { requests: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      state.requests++;
      handler(JSON.parse(text) as Parameters<Handler>[0], req.headers['x-vault-token'] as string | undefined, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    get requests() {
      return state.requests;
    },
  };
}

const answer = (res: ServerResponse, status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

function logger(): { log: AgentLogger; lines: string[] } {
  const lines: string[] = [];
  return { log: new AgentLogger('debug', 'standard', 'agent', (line) => lines.push(line)), lines };
}

const until = async (what: string, check: () => boolean) => {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const servers: Server[] = [];
const subscriptions: RotationSubscription[] = [];
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function subscribe(url: URL, versions: SecretVersions, onRotated: (paths: string[]) => void, log: AgentLogger, token = 'pod-token-s3cr3t'): RotationSubscription {
  const subscription = new RotationSubscription({ address: url, token: async () => token, versions, onRotated, log, waitMs: 1_000, minBackoffMs: 20, maxBackoffMs: 40 });
  subscriptions.push(subscription);
  subscription.start();
  return subscription;
}

describe('RotationSubscription', () => {
  it('sends the rendered versions with the pod token, reports newer versions, then waits past them', async () => {
    const seen: Array<{ known: Record<string, number>; token: string | undefined }> = [];
    const fake = await watchServer((body, token, res) => {
      seen.push({ known: body.known, token });
      if (seen.length === 1) answer(res, 200, { changed: { 'secret/data/a': 4, 'secret/data/unknown': 9 } });
      else setTimeout(() => answer(res, 200, { changed: {} }), 50).unref();
    });
    servers.push(fake.server);
    const versions = new SecretVersions();
    versions.record('secret/data/a', 3);
    versions.record('secret/data/b', 1);
    const rotated: string[][] = [];
    const { log, lines } = logger();
    const subscription = subscribe(fake.url, versions, (paths) => rotated.push(paths), log);
    await until('second watch', () => seen.length >= 2);
    expect(seen[0]).toEqual({ known: { 'secret/data/a': 3, 'secret/data/b': 1 }, token: 'pod-token-s3cr3t' });
    // A path the sidecar does not read is ignored; the next watch carries the pushed version.
    expect(rotated).toEqual([['secret/data/a']]);
    expect(seen[1]!.known).toEqual({ 'secret/data/a': 4, 'secret/data/b': 1 });
    expect(subscription.subscribed).toBe(true);
    expect(lines.join('')).not.toContain('pod-token-s3cr3t');
  });

  it('waits for the first KV v2 read before watching, and watches again when a new path is read', async () => {
    const paths: string[][] = [];
    const fake = await watchServer((body, _token, res) => {
      paths.push(body.paths);
      setTimeout(() => answer(res, 200, { changed: {} }), 5_000).unref();
    });
    servers.push(fake.server);
    const versions = new SecretVersions();
    subscribe(fake.url, versions, () => undefined, logger().log);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests).toBe(0);
    versions.record('secret/data/a', 1);
    await until('first watch', () => paths.length === 1);
    versions.record('secret/data/b', 1);
    await until('watch with the new path', () => paths.length === 2);
    expect(paths[1]).toEqual(['secret/data/a', 'secret/data/b']);
  });

  it('is unavailable while the service refuses or cannot be reached, logs the transition once, and re-subscribes', async () => {
    let refuse = true;
    const fake = await watchServer((_body, _token, res) => {
      if (refuse) answer(res, 403, { statusCode: 403, message: 'the token may not read secret/data/a' });
      else setTimeout(() => answer(res, 200, { changed: {} }), 20).unref();
    });
    servers.push(fake.server);
    const versions = new SecretVersions();
    versions.record('secret/data/a', 1);
    const { log, lines } = logger();
    const subscription = subscribe(fake.url, versions, () => undefined, log);
    await until('several refused watches', () => fake.requests >= 3);
    expect(subscription.subscribed).toBe(false);
    expect(lines.filter((line) => line.includes('rotation service unavailable'))).toHaveLength(1);
    expect(lines.join('')).toContain('the token may not read secret/data/a');
    refuse = false;
    await until('subscribed again', () => subscription.subscribed);
    expect(lines.filter((line) => line.includes('subscribed to the rotation service'))).toHaveLength(1);
  });

  it('treats a closed port as unavailable and keeps retrying', async () => {
    const fake = await watchServer(() => undefined);
    const url = fake.url;
    await new Promise((resolve) => fake.server.close(resolve));
    const versions = new SecretVersions();
    versions.record('secret/data/a', 1);
    const { log, lines } = logger();
    const subscription = subscribe(url, versions, () => undefined, log);
    await until('unavailable logged', () => lines.some((line) => line.includes('ECONNREFUSED')));
    expect(subscription.subscribed).toBe(false);
  });
});

describe('kvV2VersionOf', () => {
  it('takes data.metadata.version of a KV v2 read and nothing else', () => {
    expect(kvV2VersionOf(JSON.stringify({ data: { data: { a: 1 }, metadata: { version: 7 } } }))).toBe(7);
    expect(kvV2VersionOf(JSON.stringify({ data: { metadata: 'x' } }))).toBeUndefined();
    expect(kvV2VersionOf(JSON.stringify({ data: { metadata: { version: '7' } } }))).toBeUndefined();
    expect(kvV2VersionOf('{"metadata": ')).toBeUndefined();
    expect(kvV2VersionOf(JSON.stringify({ data: { password: 'x' } }))).toBeUndefined();
  });
});

describe('rotationAddressFrom', () => {
  it('reads OPZERO_ROTATION_ADDRESS and refuses anything but an http(s) URL, naming the variable', () => {
    expect(rotationAddressFrom({})).toBeUndefined();
    expect(rotationAddressFrom({ OPZERO_ROTATION_ADDRESS: 'http://agent-renderer:8081' })?.port).toBe('8081');
    expect(() => rotationAddressFrom({ OPZERO_ROTATION_ADDRESS: 'not a url' })).toThrow('OPZERO_ROTATION_ADDRESS');
    expect(() => rotationAddressFrom({ OPZERO_ROTATION_ADDRESS: 'ftp://x' })).toThrow('OPZERO_ROTATION_ADDRESS: must be an http:// or https:// URL');
  });
});
