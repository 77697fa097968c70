/** A Vault API call failed. Carries the status and Vault's error list, never the request body. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super(`Vault ${method} /v1/${path}: HTTP ${status}${errors.length ? `: ${errors.join('; ')}` : ''}`);
  }

  /** 5xx, 429 and 503-while-sealed are worth retrying; 4xx are not. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}
