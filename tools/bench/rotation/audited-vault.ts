import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from '@opzero/testing';
import { baoBinary, cleanEnv } from '../../../libs/agent/test/agent-runner';

/** A dev OpenBao with a file audit device (declarative: OpenBao 2.x refuses sys/audit over the API). */
export interface AuditedVault {
  address: string;
  token: string;
  auditFile: string;
  stop(): Promise<void>;
}

/** Starts `bao server -dev` (the same binary as the agents) on 127.0.0.1 with its audit log in `dir`. */
export async function startAuditedVault(dir: string): Promise<AuditedVault> {
  const port = await freePort();
  const auditFile = join(dir, 'audit.log');
  const config = join(dir, 'audit.hcl');
  await writeFile(config, `audit "file" "bench" {\n  options {\n    file_path = "${auditFile}"\n  }\n}\n`);
  const token = `root-${randomUUID()}`;
  const child = spawn(baoBinary(), ['server', '-dev', `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${port}`, `-config=${config}`], {
    env: cleanEnv({ BAO_DISABLE_MLOCK: 'true' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const address = `http://127.0.0.1:${port}`;
  await waitFor('audited OpenBao', async () => ((await fetch(`${address}/v1/sys/health`).catch(() => undefined))?.status === 200 ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 }).catch(
    (error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}; bao said: ${log}`);
    },
  );
  return {
    address,
    token,
    auditFile,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
