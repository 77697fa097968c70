/**
 * Starts the vault-k8s v1.7.6 reference injector (built by build.sh into the cache) on
 * 127.0.0.1 over HTTPS with a throwaway certificate, for the compatibility test and the bench.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, localCertificateFiles, postJson } from '@opzero/testing';

export interface ReferenceServer {
  url: string;
  ca: string;
  stop(): Promise<void>;
}

/** Builds (if needed) and returns the path of the reference binary. */
export function buildReference(): string {
  const out = execFileSync('bash', [join(__dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
}

/** Starts the reference injector and waits until it answers. */
export async function startReference(vaultAddress: string): Promise<ReferenceServer> {
  const binary = buildReference();
  const { ca: cert, certFile, keyFile } = await localCertificateFiles();
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [`-listen=127.0.0.1:${port}`, `-tls-cert-file=${certFile}`, `-tls-key-file=${keyFile}`, `-vault-address=${vaultAddress}`],
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
