import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig } from '../config/agent-config';
import { AgentLogger } from '../log/agent-logger';
import { parseTemplates, TemplateRenderer } from './template-renderer';
import type { LeaseInfo, VaultSecretSource } from './vault-secret-source';

// The refresh schedule for leased dynamic secrets, with an in-memory source standing in for
// VaultSecretSource (our own interface; the Vault paths are covered by the integration tests).
class LeasedSource {
  readonly leases = new Map<string, LeaseInfo>();
  requestCount = 0;
  reads = 0;
  renewals: number[] = [];
  /** What the next renewal grants, in ms (the lease's max TTL shrinks it). */
  grant = 2000;

  async read(path: string): Promise<string | null> {
    if (path.startsWith('sys/internal/ui/mounts/')) return null;
    this.reads++;
    this.leases.set('database/creds/web', { leaseId: `database/creds/web/${this.reads}`, durationMs: 2000, renewable: true });
    return JSON.stringify({ lease_id: `database/creds/web/${this.reads}`, lease_duration: 2, renewable: true, data: { username: `v-${this.reads}` } });
  }
  async list(): Promise<string | null> {
    return null;
  }
  async write(): Promise<string | null> {
    return null;
  }
  async renew(_leaseId: string, incrementMs: number): Promise<number> {
    this.renewals.push(incrementMs);
    return this.grant;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('TemplateRenderer refresh of leased secrets', () => {
  it('renews a renewable lease at lease_renewal_threshold, and re-reads when renewal no longer extends it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opzero-renderer-'));
    const destination = join(dir, 'db');
    const config = parseAgentConfig({
      vault: { address: 'http://127.0.0.1:8200' },
      template: [{ destination, contents: '{{ with secret "database/creds/web" }}{{ .Data.username }}{{ end }}' }],
      template_config: { lease_renewal_threshold: 0.5 },
    });
    const source = new LeasedSource();
    const renderer = new TemplateRenderer(parseTemplates(config.templates), source as unknown as VaultSecretSource, config, new AgentLogger('error', 'standard'), {});
    try {
      await renderer.renderAll();
      expect(await readFile(destination, 'utf8')).toBe('v-1');
      renderer.startRefreshing();
      await until('renewed', () => source.renewals.length >= 1);
      expect(source.reads).toBe(1); // renewed, not re-read
      source.grant = 100; // max TTL reached: the renewal grants almost nothing
      await until('re-read after a short renewal', async () => (await readFile(destination, 'utf8')) === 'v-2');
      expect(source.renewals[0]).toBe(2000);
    } finally {
      renderer.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
