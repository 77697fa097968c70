import { AgentLogger } from '../log/agent-logger';
import { runCommand } from './run-command';

function logger(): { log: AgentLogger; lines: string[] } {
  const lines: string[] = [];
  return { log: new AgentLogger('debug', 'standard', 'agent', (l) => lines.push(l)), lines };
}

describe('runCommand', () => {
  it('runs a string through sh -c and logs its status, the output only at debug', async () => {
    const { log, lines } = logger();
    expect(await runCommand(['echo out; exit 3'], 5000, log)).toBe(3);
    expect(lines.find((l) => l.includes('[ERROR]'))).toMatch(/command failed: command=\/bin\/sh status=3/);
    expect(lines.find((l) => l.includes('[DEBUG]'))).toMatch(/command output: command=\/bin\/sh output=out/);
  });

  it('kills a command that outlives its timeout', async () => {
    const { log, lines } = logger();
    const started = Date.now();
    const status = await runCommand(['sleep', '30'], 300, log);
    expect(status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(lines.some((l) => l.includes('command timed out, killing it'))).toBe(true);
  });

  it('reports a command that cannot start', async () => {
    const { log } = logger();
    expect(await runCommand(['/nonexistent/opzero-cmd', 'x'], 1000, log)).toBe(127);
  });
});
