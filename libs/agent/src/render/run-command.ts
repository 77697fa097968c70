import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AgentLogger } from '../log/agent-logger';

const MAX_OUTPUT = 64 * 1024;

/**
 * Runs a template's `command` after its file changed: a single string goes through
 * `/bin/sh -c` as consul-template does (split on spaces where the image has no shell),
 * a list is executed directly. Killed after `timeoutMs`. Resolves with the exit status.
 */
export function runCommand(command: readonly string[], timeoutMs: number, log: AgentLogger): Promise<number> {
  const argv = command.length === 1 ? (existsSync('/bin/sh') ? ['/bin/sh', '-c', command[0] as string] : (command[0] as string).split(/\s+/).filter(Boolean)) : [...command];
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      log.error('command timed out, killing it', { command: argv[0], timeout: `${timeoutMs}ms` });
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      log.error('command failed to start', { command: argv[0], error: error.message });
      resolve(127);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const status = code ?? 128;
      const fields = { command: argv[0], status, signal: signal ?? undefined };
      if (status === 0) log.info('command finished', fields);
      else log.error('command failed', fields);
      // The command's own output may print what it read from the rendered file: debug only.
      if (output) log.debug('command output', { command: argv[0], output: output.trimEnd() });
      resolve(status);
    });
  });
}
