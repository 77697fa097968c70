import nodeVault from 'node-vault';
import { VaultError, type VaultErrorCode } from './vault-error';
import type { VaultClientOptions } from './vault-options';

/** The per-call identity: sent as headers, so one node-vault instance serves every token. */
export interface VaultIdentity {
  token?: string | undefined;
  namespace?: string | undefined;
}

export type VaultMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** node-vault's named commands we use: schema-checked, no side effects on the shared instance. */
export type NodeVaultCommand = 'status' | 'health' | 'unseal' | 'renew' | 'revoke' | 'tokenLookupSelf';

const MAX_PATH_LENGTH = 4096;
const MAX_ERROR_MESSAGES = 10;
const MAX_ERROR_LENGTH = 1000;

/**
 * Joins path parts into a Vault API path: each segment URL-encoded, `.`/`..` refused, so a
 * secret path from an annotation can never climb to another endpoint or smuggle a query.
 */
export function vaultPath(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '');
  const bad = segments.find((segment) => segment === '.' || segment === '..');
  const joined = segments.map(encodeURIComponent).join('/');
  if (bad !== undefined || joined.length === 0 || joined.length > MAX_PATH_LENGTH) {
    const reason = bad !== undefined ? `segment "${bad}" is not allowed` : `must have 1 to ${MAX_PATH_LENGTH} characters`;
    throw new VaultError('-', parts.join('/').slice(0, 200), 0, [`path ${reason}`], 'invalid-request');
  }
  return joined;
}

/**
 * The one place that talks to node-vault. The instance is built so that nothing comes from the
 * environment (node-vault reads VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE, VAULT_PREFIX and
 * VAULT_SKIP_VERIFY when a setting is falsy), its `debug` logger (which prints request bodies,
 * unseal keys included, under DEBUG=node-vault) is silenced, and token and namespace travel as
 * per-call headers instead of instance state.
 */
export class VaultTransport {
  private readonly client: nodeVault.client;

  constructor(options: Pick<VaultClientOptions, 'address' | 'timeoutMs' | 'tls'>) {
    const tls = options.tls ?? {};
    const strictSSL = tls.skipVerify !== true;
    const config: nodeVault.VaultOptions & { rpDefaults: { strictSSL: boolean; timeout: number } } = {
      endpoint: options.address,
      apiVersion: 'v1',
      pathPrefix: '',
      debug: () => undefined,
      rpDefaults: { strictSSL, timeout: options.timeoutMs ?? 10_000 },
      requestOptions: {
        strictSSL,
        ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
        ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
        ...(tls.key !== undefined ? { key: tls.key } : {}),
        ...(tls.servername !== undefined ? { agentOptions: { servername: tls.servername } } : {}),
      },
    };
    this.client = nodeVault(config);
    // Falsy settings fell back to the environment inside node-vault; clear what it picked up.
    this.client.token = '';
    Object.assign(this.client, { namespace: undefined, pathPrefix: '' });
  }

  /** node-vault's generic request: our path (already encoded), our JSON body. */
  request<T>(method: VaultMethod, path: string, identity: VaultIdentity, body?: object, query = ''): Promise<T> {
    return this.run(method, path, identity, (headers) =>
      this.client.request({ method, path: `/${path}${query}`, headers, ...(body !== undefined ? { json: body } : {}) }),
    );
  }

  /** A named node-vault command with its argument schema. */
  command<T>(name: NodeVaultCommand, method: VaultMethod, path: string, identity: VaultIdentity, args: object = {}): Promise<T> {
    return this.run(method, path, identity, (headers) => this.client[name]({ ...args, requestOptions: { headers } }));
  }

  private async run<T>(method: string, path: string, identity: VaultIdentity, send: (headers: Record<string, string>) => Promise<unknown>): Promise<T> {
    const headers: Record<string, string> = {};
    if (identity.token) headers['X-Vault-Token'] = identity.token;
    if (identity.namespace) headers['X-Vault-Namespace'] = identity.namespace;
    try {
      return (await send(headers)) as T;
    } catch (error) {
      throw toVaultError(method, path, error, identity.token);
    }
  }
}

interface AxiosErrorShape {
  isAxiosError: true;
  code?: string;
  message: string;
}

/**
 * Rebuilds whatever node-vault threw as a VaultError holding only the status and Vault's
 * messages. The token is blanked out of every message, in case a server ever echoes it.
 * Programming errors (TypeError, ...) go on as they are: they are bugs, not Vault failures.
 */
function toVaultError(method: string, path: string, error: unknown, token: string | undefined): VaultError {
  const clean = (text: string) => (token ? text.split(token).join('[token]') : text).slice(0, MAX_ERROR_LENGTH);
  const make = (status: number, messages: string[], code?: VaultErrorCode) =>
    new VaultError(method, path, status, messages.slice(0, MAX_ERROR_MESSAGES).map(clean), code);
  if (!isObject(error)) return make(0, ['unknown failure'], 'network');
  // node-vault's ApiResponseError: Vault answered with a status other than 200/204.
  const response = error['response'];
  if (isObject(response) && typeof response['statusCode'] === 'number') {
    const body = response['body'];
    const errors = isObject(body) && Array.isArray(body['errors']) ? body['errors'].filter((e): e is string => typeof e === 'string') : [];
    return make(response['statusCode'], errors);
  }
  if (error['isAxiosError'] === true) {
    const { code, message } = error as unknown as AxiosErrorShape;
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return make(0, [code && !message.includes(code) ? `${code}: ${message}` : message], timedOut ? 'timeout' : 'network');
  }
  // tv4's validation error for a named command's arguments.
  if (typeof error['message'] === 'string' && typeof error['dataPath'] === 'string') {
    return make(0, [`${error['dataPath'] || 'request'}: ${error['message']}`], 'invalid-request');
  }
  if (['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'].includes(String(error['name']))) throw error;
  return make(0, [typeof error['message'] === 'string' ? error['message'] : 'unknown failure'], 'network');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
