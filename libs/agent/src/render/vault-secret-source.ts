import type { SecretSource } from '@opzero/template';
import type { AutoAuth } from '../auth/auto-auth';
import { VaultError, type VaultClient, type VaultRequest } from '../vault/vault-client';

/** What Vault said about a secret's lifetime, for the refresh schedule. */
export interface LeaseInfo {
  leaseId: string;
  durationMs: number;
  renewable: boolean;
  /** A certificate's NotAfter (ms since epoch) when the response carries `expiration`. */
  certificateExpiresAt?: number;
}

/**
 * SecretSource over the agent's Vault client with the auto-auth token. A 403 means the token
 * was revoked or expired: log in again once and retry. Lease data of each response is kept
 * by path, so the renderer knows what to renew and when to re-read.
 */
export class VaultSecretSource implements SecretSource {
  readonly leases = new Map<string, LeaseInfo>();
  requestCount = 0;

  constructor(
    private readonly client: VaultClient,
    private readonly auth: AutoAuth | undefined,
    private readonly staticToken: string | undefined,
  ) {}

  read(path: string, query?: Readonly<Record<string, string>>): Promise<string | null> {
    return this.call({ method: 'GET', path, query }, path);
  }

  list(path: string): Promise<string | null> {
    return this.call({ method: 'LIST', path }, path);
  }

  write(path: string, data: Readonly<Record<string, unknown>>): Promise<string | null> {
    return this.call({ method: 'PUT', path, body: data }, path);
  }

  /** Renews a lease; the new lease duration in ms. */
  async renew(leaseId: string, incrementMs: number): Promise<number> {
    const body = await this.call({ method: 'PUT', path: 'sys/leases/renew', body: { lease_id: leaseId, increment: Math.round(incrementMs / 1000) } }, '');
    const parsed = JSON.parse(body ?? '{}') as { lease_duration?: number };
    return (parsed.lease_duration ?? 0) * 1000;
  }

  private async token(): Promise<string | undefined> {
    return this.auth ? this.auth.ensureToken() : this.staticToken;
  }

  private async call(req: VaultRequest, path: string): Promise<string | null> {
    let token = await this.token();
    for (let attempt = 0; ; attempt++) {
      try {
        this.requestCount++;
        const body = await this.client.call({ ...req, token }, true);
        if (body && path && !path.startsWith('sys/internal/ui/mounts/')) this.record(path, body);
        return body;
      } catch (error) {
        if (!(error instanceof VaultError) || error.status !== 403 || attempt > 0 || !this.auth) throw error;
        token = await this.auth.reauthenticate(`Vault refused the token for ${req.method} ${path}`);
      }
    }
  }

  private record(path: string, body: string): void {
    let parsed: { lease_id?: string; lease_duration?: number; renewable?: boolean; data?: { expiration?: unknown } };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return;
    }
    const expiration = parsed.data && typeof parsed.data.expiration === 'number' ? parsed.data.expiration * 1000 : undefined;
    this.leases.set(path, {
      leaseId: parsed.lease_id ?? '',
      durationMs: (parsed.lease_duration ?? 0) * 1000,
      renewable: parsed.renewable === true,
      ...(expiration ? { certificateExpiresAt: expiration } : {}),
    });
  }
}
