import { VaultError, type HealthStatus } from '@opzero/vault';
import { GetFailure, KeptAliveGet } from './kept-alive-get';

/** Largest sys/health answer read, headers included; Vault's is about 500 bytes. */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * `GET /v1/sys/health` over one kept-alive connection, answering the body for every state
 * (active 200, standby 429, uninitialised 501, sealed 503...). It is the keeper's poll, run
 * several times a second per node for as long as the process lives, so it is as cheap as a
 * request can be (KeptAliveGet: written to the socket, read back with a small parser). Calls that
 * carry a share stay on libs/vault.
 */
export class HealthProbe {
  private readonly get: KeptAliveGet;

  constructor(address: string, timeoutMs: number) {
    this.get = new KeptAliveGet(new URL(`${address.replace(/\/+$/, '')}/v1/sys/health`), timeoutMs, MAX_ANSWER_BYTES);
  }

  /** The node's health; a VaultError when it does not answer in time or answers something else. */
  async health(): Promise<HealthStatus> {
    let answer;
    try {
      answer = await this.get.get();
    } catch (error) {
      const code = error instanceof GetFailure ? error.code : 'network';
      throw new VaultError('GET', 'sys/health', 0, [(error as Error).message], code);
    }
    const health = parseHealth(answer.body);
    if (!health) throw new VaultError('GET', 'sys/health', answer.status, [`HTTP ${answer.status}: the answer is not a health status`], 'invalid-response');
    return health;
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.get.close();
  }
}

/** A health status when `body` is one (the three booleans the keeper acts on), else undefined. */
export function parseHealth(body: string): HealthStatus | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const health = value as HealthStatus;
  return typeof health.initialized === 'boolean' && typeof health.sealed === 'boolean' && typeof health.standby === 'boolean' ? health : undefined;
}
