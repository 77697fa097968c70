import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** What the agent tests configured in OpenBao: credentials for each auth method. */
export interface SeededVault {
  address: string;
  rootToken: string;
  /** A non-root token with the `agent` policy (token_file cases). */
  agentToken: string;
  approleRoleId: string;
  /** Signs a JWT accepted by the `jwt` and `kubernetes`-path jwt mounts. */
  signJwt(claims?: Record<string, unknown>): string;
  newSecretId(): Promise<string>;
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

/** The secrets the table reads: the seed's devwebapp pair, KV v1 and v2 data, a PKI role. */
export async function seedAgentVault(address: string, rootToken: string): Promise<SeededVault> {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${address}/v1/${path}`, { method, headers: { 'X-Vault-Token': rootToken }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  await call('PUT', 'sys/policies/acl/agent', { policy: 'path "*" { capabilities = ["create", "read", "update", "list"] }' });
  await call('POST', 'secret/data/devwebapp/config', { data: { username: 'giraffe', password: 'salsa' } });
  await call('POST', 'secret/data/app/db', { data: { user: 'app', pass: 's3cr3t', port: 5432, ratio: 0.25, tags: ['a', 'b'] } });
  await call('POST', 'secret/data/app/db', { data: { user: 'app', pass: 'rotated', port: 5432, ratio: 0.25, tags: ['a', 'b'] } });
  await call('POST', 'secret/data/app/api', { data: { key: 'k-123', url: 'https://example.com/?q=1&r=2' } });
  await call('POST', 'sys/mounts/kv', { type: 'kv', options: { version: '1' } });
  await call('POST', 'kv/legacy', { api_key: 'abc', nested: { a: 1 } });
  await call('POST', 'sys/mounts/pki', { type: 'pki', config: { max_lease_ttl: '87600h' } });
  await call('POST', 'pki/root/generate/internal', { common_name: 'opzero test CA', ttl: '87600h' });
  await call('POST', 'pki/roles/example', { allowed_domains: 'example.com', allow_subdomains: true, max_ttl: '72h' });
  await call('POST', 'sys/auth/approle', { type: 'approle' });
  await call('POST', 'auth/approle/role/web', { token_policies: ['agent'], token_ttl: '1h' });
  const roleId = ((await call('GET', 'auth/approle/role/web/role-id')) as { data: { role_id: string } }).data.role_id;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // jwt at auth/jwt, and a second jwt mount at auth/kubernetes so the kubernetes method (same
  // login body: role + ServiceAccount JWT) runs against real OpenBao without an API server.
  for (const mount of ['jwt', 'kubernetes']) {
    await call('POST', `sys/auth/${mount}`, { type: 'jwt' });
    await call('POST', `auth/${mount}/config`, { jwt_validation_pubkeys: [pem] });
    for (const role of ['web', 'devweb-app']) {
      await call('POST', `auth/${mount}/role/${role}`, { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['opzero'], token_policies: ['agent'], token_ttl: '1h' });
    }
  }
  // One issue time for every default JWT, so two runs of a case get the same file.
  const issuedAt = now();
  const agentToken = ((await call('POST', 'auth/token/create', { policies: ['agent'], ttl: '2h' })) as { auth: { client_token: string } }).auth.client_token;
  return {
    address,
    rootToken,
    agentToken,
    approleRoleId: roleId,
    signJwt: (claims = {}) => signJwt(privateKey, { sub: 'system:serviceaccount:default:devwebapp', aud: 'opzero', iat: issuedAt, exp: issuedAt + 3600, ...claims }),
    newSecretId: async () => ((await call('POST', 'auth/approle/role/web/secret-id', {})) as { data: { secret_id: string } }).data.secret_id,
    call,
  };
}

const now = () => Math.floor(Date.now() / 1000);
const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signJwt(key: KeyObject, claims: Record<string, unknown>): string {
  const head = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${b64url(sign('sha256', Buffer.from(head), key))}`;
}
