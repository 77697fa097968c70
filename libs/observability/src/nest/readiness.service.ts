import { Injectable } from '@nestjs/common';

/** A named readiness check: resolves true when the dependency is usable. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

/**
 * Collects readiness checks from the app's modules (bus connected, Vault reachable...) for
 * /readyz. Liveness (/healthz) deliberately checks nothing external: a dependency outage
 * must not make Kubernetes restart every pod.
 */
@Injectable()
export class ReadinessService {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const results: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        results[name] = (await check()) === true;
      } catch {
        results[name] = false;
      }
    }
    return { ready: Object.values(results).every(Boolean), checks: results };
  }
}
