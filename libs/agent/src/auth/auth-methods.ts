import { readFileSync, rmSync, lstatSync, realpathSync } from 'node:fs';
import type { AuthMethodConfig } from '../config/agent-config';
import type { VaultClient } from '../vault/vault-client';

/** A Vault token with what the agent needs to keep it alive. */
export interface AuthToken {
  token: string;
  ttlMs: number;
  renewable: boolean;
}

/** Thrown for a failed login step; the message names the method and the step, never a credential. */
export class AuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthError';
  }
}

const DEFAULT_SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * One auth method: `login()` yields a fresh token. Credentials read from files that Vault
 * Agent deletes after reading (approle secret_id, jwt) are kept in memory for re-login.
 */
export class AuthMethod {
  private cachedSecret = '';

  constructor(
    private readonly config: AuthMethodConfig,
    private readonly client: VaultClient,
  ) {}

  get type(): string {
    return this.config.type;
  }

  async login(): Promise<AuthToken> {
    const s = this.config.settings;
    switch (this.config.type) {
      case 'token_file':
        return this.lookup(this.readFile('token_file_path', required(s, 'token_file_path'), false));
      case 'kubernetes':
        return this.post({ role: required(s, 'role'), jwt: this.readFile('token_path', str(s, 'token_path') || DEFAULT_SA_TOKEN, false) });
      case 'jwt':
        return this.post({ role: required(s, 'role'), jwt: this.readOnce('path', required(s, 'path'), s['remove_jwt_after_reading'] !== false, s['remove_jwt_follows_symlinks'] === true) });
      case 'approle': {
        const roleId = this.readFile('role_id_file_path', required(s, 'role_id_file_path'), false);
        const secretPath = str(s, 'secret_id_file_path');
        const secretId = secretPath ? this.readOnce('secret_id_file_path', secretPath, s['remove_secret_id_file_after_reading'] !== false, false) : '';
        return this.post({ role_id: roleId, ...(secretId ? { secret_id: secretId } : {}) });
      }
    }
  }

  private readFile(setting: string, path: string, allowMissing: boolean): string {
    try {
      const text = readFileSync(path, 'utf8').trim();
      if (!text && !allowMissing) throw new AuthError(`${this.config.type}: ${setting} file ${path} is empty`);
      return text;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (allowMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new AuthError(`${this.config.type}: cannot read ${setting} file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** A credential file that is removed once read; later logins reuse the value read. */
  private readOnce(setting: string, path: string, remove: boolean, followSymlinks: boolean): string {
    const text = this.readFile(setting, path, this.cachedSecret !== '');
    if (!text) return this.cachedSecret;
    this.cachedSecret = text;
    if (remove) {
      const target = followSymlinks && lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
      rmSync(target, { force: true });
    }
    return text;
  }

  private async post(body: Record<string, string>): Promise<AuthToken> {
    const path = `${this.config.mountPath}/login`;
    let text: string | null;
    try {
      text = await this.client.call({ method: 'PUT', path, body, namespace: this.config.namespace });
    } catch (error) {
      throw new AuthError(`${this.config.type}: login at ${path} failed: ${(error as Error).message}`, { cause: error });
    }
    const auth = (JSON.parse(text ?? '{}') as { auth?: { client_token?: string; lease_duration?: number; renewable?: boolean } }).auth;
    if (!auth?.client_token) throw new AuthError(`${this.config.type}: login at ${path} returned no token`);
    return { token: auth.client_token, ttlMs: (auth.lease_duration ?? 0) * 1000, renewable: auth.renewable === true };
  }

  private async lookup(token: string): Promise<AuthToken> {
    let text: string | null;
    try {
      text = await this.client.call({ method: 'GET', path: 'auth/token/lookup-self', token, namespace: this.config.namespace });
    } catch (error) {
      throw new AuthError(`token_file: token lookup failed: ${(error as Error).message}`, { cause: error });
    }
    const data = (JSON.parse(text ?? '{}') as { data?: { ttl?: number; renewable?: boolean } }).data ?? {};
    return { token, ttlMs: (data.ttl ?? 0) * 1000, renewable: data.renewable === true };
  }
}

function str(settings: Record<string, string | boolean>, key: string): string {
  const v = settings[key];
  return typeof v === 'string' ? v : '';
}

function required(settings: Record<string, string | boolean>, key: string): string {
  const v = str(settings, key);
  if (!v) throw new AuthError(`auto_auth.method.config.${key} is required`);
  return v;
}
