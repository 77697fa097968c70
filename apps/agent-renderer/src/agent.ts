// The injected agent's entry: a plain Node program (no Nest, no TypeScript loader at run
// time), bundled to one file by tools/bench/agent/../build (see project.json `bundle-agent`).
import { runCli } from '@opzero/agent';

const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGTERM', () => resolve());
  process.once('SIGINT', () => resolve());
});

void runCli(process.argv.slice(2), process.env, stopSignal).then((code) => {
  process.exitCode = code;
  // Sockets and timers are closed by the agent; exit now so a stray handle cannot hold the pod.
  process.exit(code);
});
