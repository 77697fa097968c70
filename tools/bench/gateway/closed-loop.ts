import { Agent, request } from 'node:http';
import { percentile } from '../stats';

/** Figures of one closed-loop run. */
export interface LoadFigures {
  requests: number;
  /** Every request answered, warm-up included (CPU per request divides by this). */
  completed: number;
  errors: number;
  rps: number;
  p50us: number;
  p99us: number;
}

/**
 * `connections` keep-alive connections each sending GET `path` back to back for `durationMs`
 * (after `warmupMs` not counted), measuring each request's latency.
 */
export async function closedLoop(base: string, path: string, connections: number, durationMs: number, warmupMs = 500): Promise<LoadFigures> {
  const url = new URL(path, base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let completed = 0;
  const start = Date.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const once = () =>
    new Promise<void>((resolve) => {
      const began = process.hrtime.bigint();
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          completed++;
          if (Date.now() >= measureFrom) {
            if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - began) / 1000);
            else errors++;
          }
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await once();
    }),
  );
  agent.destroy();
  return { requests: latencies.length, completed, errors, rps: latencies.length / (durationMs / 1000), p50us: percentile(latencies, 50), p99us: percentile(latencies, 99) };
}
