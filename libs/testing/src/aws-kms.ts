import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { loadTestingEnv, opzeroCache } from './runtime-env';
import { announce, type RealServer } from './server';
import { waitFor } from './wait-for';

export interface AwsKmsServer extends RealServer {
  /** `http://127.0.0.1:<port>`: pass as the SDK's `endpoint`. */
  readonly endpoint: string;
  readonly region: string;
  /** Static credentials the server accepts (it checks none). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A real AWS KMS API server on 127.0.0.1: nsmithuk/local-kms (MIT), built from the Go module
 * proxy by tools/infra/setup.sh (`OPZERO_LOCAL_KMS_BIN`). It implements KMS's wire protocol with
 * real AES-GCM ciphertexts bound to key and encryption context. It binds every interface (it
 * has no listen-address setting); tests reach it on loopback only. Data survives restart().
 */
export async function startAwsKms(): Promise<AwsKmsServer> {
  loadTestingEnv();
  const startedAt = Date.now();
  const binary = process.env['OPZERO_LOCAL_KMS_BIN'] ?? join(opzeroCache(), 'local-kms', 'bin', 'local-kms');
  if (!existsSync(binary)) throw new Error(`local-kms not found at ${binary}: run tools/infra/setup.sh`);
  const port = await freePort();
  const dataPath = await mkdtemp(join(tmpdir(), 'opzero-local-kms-'));
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'eu-west-1';
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(binary, [], {
      env: { PORT: String(port), KMS_REGION: region, KMS_ACCOUNT_ID: '111122223333', KMS_DATA_PATH: dataPath, KMS_SEED_PATH: join(dataPath, 'none.yaml') },
      stdio: 'ignore',
    });
    // Any HTTP answer means it listens (it answers 4xx to a request without a KMS target).
    await waitFor(`local-kms on ${endpoint}`, async () => ((await fetch(endpoint, { method: 'POST' })).status > 0 ? true : undefined), { timeoutMs: 15_000, intervalMs: 50 });
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  const description = 'local-kms (AWS KMS API)';
  announce(description, binary, endpoint, startedAt);
  return {
    description,
    image: binary,
    endpoint,
    region,
    credentials: { accessKeyId: 'opzero-test', secretAccessKey: 'opzero-test' },
    async stop() {
      await halt('SIGTERM');
      await rm(dataPath, { recursive: true, force: true });
    },
    async restart() {
      await halt('SIGTERM');
      await launch();
    },
    kill: () => halt('SIGKILL'),
  };
}
