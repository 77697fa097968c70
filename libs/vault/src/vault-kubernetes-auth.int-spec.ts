import { createTokenReviewer, startKubernetes, startVault, type KubernetesServer, type VaultServer } from '@opzero/testing';
import { VaultClient } from './index';

describe('VaultClient kubernetes login against a real API server (TokenReview) and a real OpenBao', () => {
  let kube: KubernetesServer;
  let server: VaultServer;
  let vault: VaultClient;

  beforeAll(async () => {
    // One after the other: if the control plane cannot start, no OpenBao container is left behind.
    kube = await startKubernetes();
    server = await startVault({ mode: 'dev' });
    vault = new VaultClient({ address: server.address, token: server.token });
    // The reviewer may call TokenReview (what Vault's kubernetes method does with each login).
    const reviewerJwt = await createTokenReviewer(kube, 'vault-reviewer', ['web', 'other']);
    await vault.writePolicy('web', 'path "secret/data/web/*" { capabilities = ["read"] }');
    await vault.kvWrite('secret', 'web/config', { colour: 'green' });
    await vault.enableAuthMethod('kubernetes', { type: 'kubernetes' });
    await vault.write('auth/kubernetes/config', {
      kubernetes_host: kube.server,
      kubernetes_ca_cert: kube.ca,
      token_reviewer_jwt: reviewerJwt,
      disable_local_ca_jwt: true,
    });
    await vault.write('auth/kubernetes/role/web', {
      bound_service_account_names: ['web'],
      bound_service_account_namespaces: ['default'],
      token_policies: ['web'],
      token_ttl: '10m',
    });
  }, 240_000);
  afterAll(() => Promise.all([server?.stop(), kube?.stop()]));

  it('logs in with a ServiceAccount token the API server vouches for, and reads what the role allows', async () => {
    const anonymous = new VaultClient({ address: server.address });
    const auth = await anonymous.loginKubernetes({ role: 'web', jwt: await kube.mintServiceAccountToken('default', 'web') });
    expect(auth).toMatchObject({ policies: ['default', 'web'], lease_duration: 600, metadata: { service_account_name: 'web', service_account_namespace: 'default', role: 'web' } });
    expect((await anonymous.withToken(auth.client_token).kvRead<{ colour: string }>('secret', 'web/config')).data.colour).toBe('green');
  });

  it('refuses a token of another ServiceAccount, and one the API server never issued', async () => {
    const anonymous = new VaultClient({ address: server.address });
    await expect(anonymous.loginKubernetes({ role: 'web', jwt: await kube.mintServiceAccountToken('default', 'other') })).rejects.toMatchObject({ status: 403 });
    const forged = (await kube.mintServiceAccountToken('default', 'web')).replace(/\.[^.]+$/, '.AAAA');
    await expect(anonymous.loginKubernetes({ role: 'web', jwt: forged })).rejects.toMatchObject({ status: 403 });
  });
});
