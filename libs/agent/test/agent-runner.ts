import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadTestingEnv } from '@opzero/testing';

/** The two agents compared: `bao agent` (OpenBao 2.7.2 from setup.sh) and ours, bundled as shipped. */
export type AgentKind = 'bao' | 'opzero';

export interface AgentRun {
  exitCode: number;
  log: string;
  /** Every file under the run's directory: path relative to it → content and mode. */
  files: Map<string, { content: string; mode: string }>;
}

/** The bao binary tools/infra/setup.sh installs (OPZERO_OPENBAO_BIN). */
export function baoBinary(): string {
  loadTestingEnv();
  const binary = process.env['OPZERO_OPENBAO_BIN'];
  if (!binary || !existsSync(binary)) throw new Error(`bao binary not found (OPZERO_OPENBAO_BIN=${binary ?? 'unset'}); run tools/infra/setup.sh`);
  return binary;
}

const ROOT = join(__dirname, '..', '..', '..');

/** Bundles apps/agent-renderer/src/agent.ts exactly as the image does (same esbuild options). */
export async function buildAgentBundle(outfile: string): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'apps', 'agent-renderer', 'agent-bundle.mjs'), outfile], { stdio: 'inherit' });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`agent bundle failed with status ${code}`);
  return outfile;
}

/** The agent must not pick up a developer's BAO_/VAULT_ settings. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BAO|VAULT)_/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

/**
 * Runs one agent with `config` (Vault Agent JSON, or HCL text). bao reads JSON from a file, ours
 * from VAULT_CONFIG as the injector passes it. Kills the process after timeoutMs.
 */
export function runAgent(kind: AgentKind, bundle: string, config: object | string, dir: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ exitCode: number; log: string }> {
  const env = cleanEnv(options.env);
  // A string is an HCL file (vault-k8s's ConfigMap mode): both agents get -config=FILE.
  const file = typeof config === 'string' ? join(dir, 'agent.hcl') : kind === 'bao' ? join(dir, 'agent.json') : undefined;
  const configArgs = file ? [`-config=${file}`] : [];
  if (!file) env['VAULT_CONFIG'] = Buffer.from(JSON.stringify(config)).toString('base64');
  const [bin, args] = kind === 'bao' ? [baoBinary(), ['agent', ...configArgs]] : [process.execPath, [bundle, 'agent', ...configArgs]];
  const written = file ? writeFile(file, typeof config === 'string' ? config : JSON.stringify(config)) : Promise.resolve();
  return written.then(() => spawnAndWait(bin, args, env, options.timeoutMs ?? 60_000));
}

export function spawnAndWait(bin: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ exitCode: number; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, log });
    });
  });
}

/** Every regular file under `dir` (except the agent's own config) with content and octal mode. */
export async function filesUnder(dir: string): Promise<Map<string, { content: string; mode: string }>> {
  const out = new Map<string, { content: string; mode: string }>();
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name !== 'agent.json' && entry.name !== 'agent.hcl') {
        // latin1 maps each byte to one character: byte-exact, where utf8 would fold invalid bytes into U+FFFD.
        out.set(relative(dir, path), { content: (await readFile(path)).toString('latin1'), mode: ((await stat(path)).mode & 0o7777).toString(8) });
      }
    }
  };
  await walk(dir);
  return out;
}
