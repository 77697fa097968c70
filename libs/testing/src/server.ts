import { getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

/** A real server started for a test, with the fault controls fault tests need. */
export interface RealServer {
  /** `Kafka 4.1.1`, `OpenBao v2.7.2`, `Consul 1.16.3`. */
  readonly description: string;
  readonly image: string;
  /** Stops and removes the server. */
  stop(): Promise<void>;
  /** Stops the server gracefully and starts it again on the same address, data kept. */
  restart(): Promise<void>;
  /** SIGKILLs the server (a crash); `restart()` brings it back with its data. */
  kill(): Promise<void>;
}

/** Prints which real server runs, so every test log shows it. */
export function announce(description: string, image: string, address: string, startedAt: number): void {
  process.stderr.write(`[opzero/testing] ${description} (${image}) at ${address}, ready in ${Date.now() - startedAt} ms\n`);
}

/** The stop/restart/kill trio over a started container, with a readiness probe after restart. */
export function containerControls(
  container: StartedTestContainer,
  whenReady: () => Promise<void>,
): Pick<RealServer, 'stop' | 'restart' | 'kill'> {
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await container.stop({ timeout: 5_000 });
    },
    async restart() {
      await container.restart({ timeout: 10_000 });
      await whenReady();
    },
    async kill() {
      const client = await getContainerRuntimeClient();
      await client.container.getById(container.getId()).kill({ signal: 'SIGKILL' });
    },
  };
}
