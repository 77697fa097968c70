import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { freePort, localCertificateFiles, startVault, type VaultServer } from '@opzero/testing';
import { VaultClient, VaultError } from './index';

/** A compact ES256 JWT, signed the way a Kubernetes API server or an OIDC provider signs. */
function signJwt(claims: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe('VaultClient auth methods and token self-service on a real OpenBao (dev)', () => {
  let server: VaultServer;
  let vault: VaultClient;
  let anonymous: VaultClient;

  beforeAll(async () => {
    server = await startVault({ mode: 'dev' });
    vault = new VaultClient({ address: server.address, token: server.token });
    anonymous = new VaultClient({ address: server.address });
    await vault.writePolicy('app', 'path "secret/data/app/*" { capabilities = ["read"] }');
    await vault.kvWrite('secret', 'app/config', { colour: 'blue' });
  }, 120_000);
  afterAll(() => server?.stop());

  it('logs in with AppRole, and the token it returns reads what its policy allows', async () => {
    await vault.enableAuthMethod('approle', { type: 'approle' });
    await vault.write('auth/approle/role/web', { token_policies: ['app'], token_ttl: '10m' });
    const roleId = (await vault.read<{ role_id: string }>('auth/approle/role/web/role-id')).data.role_id;
    const secretId = ((await vault.write<{ secret_id: string }>('auth/approle/role/web/secret-id', {}))!.data).secret_id;

    const auth = await anonymous.loginAppRole({ roleId, secretId });
    expect(auth).toMatchObject({ policies: ['app', 'default'], renewable: true, lease_duration: 600 });
    expect((await anonymous.withToken(auth.client_token).kvRead<{ colour: string }>('secret', 'app/config')).data.colour).toBe('blue');
    await expect(anonymous.loginAppRole({ roleId, secretId: 'wrong' })).rejects.toMatchObject({ status: 400 });
  });

  it('a login does not change the client that made it', async () => {
    await vault.enableAuthMethod('approle-b', { type: 'approle' });
    await vault.write('auth/approle-b/role/open', { bind_secret_id: false, secret_id_bound_cidrs: ['127.0.0.1/32'], token_policies: ['app'] });
    const roleId = (await vault.read<{ role_id: string }>('auth/approle-b/role/open/role-id')).data.role_id;
    expect((await anonymous.loginAppRole({ roleId, mount: 'approle-b' })).client_token).toMatch(/^s\./);
    await expect(anonymous.kvRead('secret', 'app/config')).rejects.toMatchObject({ status: 403 });
  });

  it('logs in with a JWT signed by a trusted key, and refuses one signed by another', async () => {
    const issuer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await vault.enableAuthMethod('jwt', { type: 'jwt' });
    await vault.write('auth/jwt/config', { jwt_validation_pubkeys: [issuer.publicKey.export({ type: 'spki', format: 'pem' })] });
    await vault.write('auth/jwt/role/ci', { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['opzero'], token_policies: ['app'] });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'pipeline-7', aud: 'opzero', iat: now, nbf: now - 5, exp: now + 300 };

    const auth = await anonymous.loginJwt({ role: 'ci', jwt: signJwt(claims, issuer.privateKey) });
    expect(auth.policies).toEqual(['app', 'default']);
    expect(auth.metadata).toMatchObject({ role: 'ci' });
    await expect(anonymous.loginJwt({ role: 'ci', jwt: signJwt(claims, stranger.privateKey) })).rejects.toMatchObject({ status: 400 });
  });

  it('sends role and token to the kubernetes method, which asks the configured API server (none here) to review it', async () => {
    // No API server answers TokenReview here, so a known role ends in 403 after the review
    // fails, and an unknown role in 400 before it: the request reached the method with its fields.
    const { ca } = await localCertificateFiles();
    await vault.enableAuthMethod('kubernetes', { type: 'kubernetes' });
    await vault.write('auth/kubernetes/config', { kubernetes_host: `https://127.0.0.1:${await freePort()}`, kubernetes_ca_cert: ca, disable_local_ca_jwt: true });
    await vault.write('auth/kubernetes/role/web', { bound_service_account_names: ['web'], bound_service_account_namespaces: ['default'], token_policies: ['app'] });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwt = signJwt({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:default:web', 'kubernetes.io/serviceaccount/namespace': 'default', 'kubernetes.io/serviceaccount/service-account.name': 'web' }, privateKey);

    await expect(anonymous.loginKubernetes({ role: 'web', jwt })).rejects.toMatchObject({ status: 403, path: 'auth/kubernetes/login', errors: ['permission denied'] });
    await expect(anonymous.loginKubernetes({ role: 'db', jwt })).rejects.toMatchObject({ status: 400, errors: ['invalid role name "db"'] });
    await expect(anonymous.loginKubernetes({ role: 'web', jwt, mount: 'k8s-elsewhere' })).rejects.toMatchObject({ path: 'auth/k8s-elsewhere/login' });
  });

  it('looks up, renews and revokes its own token', async () => {
    const created = await vault.write('auth/token/create', { policies: ['app'], ttl: '5m', explicit_max_ttl: '1h' });
    const client = vault.withToken((created!.auth as { client_token: string }).client_token);

    const lookup = await client.tokenLookupSelf();
    expect(lookup).toMatchObject({ policies: ['app', 'default'], renewable: true, path: 'auth/token/create' });
    expect(lookup.ttl).toBeGreaterThan(200);
    expect(lookup.ttl).toBeLessThanOrEqual(300);

    const renewed = await client.tokenRenewSelf('30m');
    expect(renewed.lease_duration).toBe(1800);
    expect((await client.tokenLookupSelf()).ttl).toBeGreaterThan(300);

    await client.tokenRevokeSelf();
    const error = await client.tokenLookupSelf().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ status: 403 });
  });
});
