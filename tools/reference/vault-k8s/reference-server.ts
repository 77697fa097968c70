/**
 * Starts the vault-k8s v1.7.6 reference injector (built by build.sh into the cache) on
 * 127.0.0.1 over HTTPS with a throwaway certificate, for the compatibility test and the bench.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface ReferenceServer {
  url: string;
  ca: string;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 / localhost. */
export async function localCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Builds (if needed) and returns the path of the reference binary. */
export function buildReference(): string {
  const out = execFileSync('bash', [join(__dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
}

/** POSTs a JSON body over HTTPS and returns status and parsed body. */
export function postJson(url: string, body: string, ca: string): Promise<{ status: number; body: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** Starts the reference injector and waits until it answers. */
export async function startReference(vaultAddress: string): Promise<ReferenceServer> {
  const binary = buildReference();
  const dir = mkdtempSync(join(tmpdir(), 'vault-k8s-ref-'));
  const { key, cert } = await localCertificate();
  writeFileSync(join(dir, 'tls.key'), key);
  writeFileSync(join(dir, 'tls.crt'), cert);
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [`-listen=127.0.0.1:${port}`, `-tls-cert-file=${join(dir, 'tls.crt')}`, `-tls-key-file=${join(dir, 'tls.key')}`, `-vault-address=${vaultAddress}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await postJson(`${url}/health/ready`, '{}', cert);
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`vault-k8s reference did not start on ${url}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    ca: cert,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
