import { readFileSync } from 'node:fs';
import { requestJson } from './https-client';
import { KubeBridgeError } from './kube-bridge';
import { startKubernetes, type KubernetesServer } from './kubernetes';
import { startVault, type VaultServer } from './vault';
import { createTokenReviewer } from './token-reviewer';
import { waitFor } from './wait-for';

jest.setTimeout(180_000);

async function vault(server: VaultServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.address}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': server.token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const serviceAccount = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' } });

describe('startKubernetes', () => {
  let kube: KubernetesServer;
  beforeAll(async () => {
    kube = await startKubernetes();
  });
  afterAll(() => kube?.stop());

  it('serves the built release over TLS signed by the returned CA, with an admin kubeconfig', async () => {
    expect(kube.version).toMatch(/^v1\.36\.\d+$/);
    const version = await requestJson('GET', `${kube.server}/version`, { ca: kube.ca });
    expect(version.body).toMatchObject({ major: '1', minor: '36', gitVersion: kube.version });
    expect(readFileSync(kube.kubeconfigFile, 'utf8')).toContain(`server: ${kube.server}`);
    expect(kube.kubeconfig.clusters[0]?.server).toBe(kube.server);
    // The admin credential is accepted; anonymous requests for resources are not (RBAC is on).
    const namespaces = await kube.client.call<{ metadata: { name: string } }[]>('list', { apiVersion: 'v1', kind: 'Namespace' });
    expect(namespaces.map((namespace) => namespace.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect((await requestJson('GET', `${kube.server}/api/v1/namespaces`, { ca: kube.ca })).status).toBe(403);
  });

  it('runs the controller-manager: a Deployment gets a ReplicaSet and a Pending pod', async () => {
    await kube.client.call('create', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hello', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'hello' } },
        template: { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ name: 'hello', image: 'example/hello:1' }] } },
      },
    });
    const pods = await waitFor('the Deployment\'s pod', async () => {
      const items = await kube.client.call<unknown[]>('list', { apiVersion: 'v1', kind: 'Pod', namespace: 'default', labelSelector: 'app=hello' });
      return items.length > 0 ? items : undefined;
    });
    expect(pods[0]).toMatchObject({ status: { phase: 'Pending' } });
  });

  it('mints ServiceAccount tokens the API server itself accepts (TokenRequest + TokenReview)', async () => {
    await kube.client.call('create', serviceAccount('minted'));
    const token = await kube.mintServiceAccountToken('default', 'minted');
    const review = await kube.client.call<{ status: { authenticated?: boolean; user?: { username?: string } } }>('create', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    });
    expect(review.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:minted' } });
    await expect(kube.mintServiceAccountToken('default', 'nobody')).rejects.toThrow(KubeBridgeError);
  });

  it("lets OpenBao's kubernetes auth log in with a minted token and refuses another ServiceAccount's", async () => {
    const bao = await startVault({ mode: 'dev' });
    try {
      // OpenBao reviews tokens with its own ServiceAccount, bound to system:auth-delegator as in a cluster.
      const reviewerJwt = await createTokenReviewer(kube, 'openbao-reviewer', ['internal-app', 'other-app']);
      expect((await vault(bao, 'POST', 'sys/auth/kubernetes', { type: 'kubernetes' })).status).toBe(204);
      const config = await vault(bao, 'POST', 'auth/kubernetes/config', {
        kubernetes_host: kube.server,
        kubernetes_ca_cert: kube.ca,
        token_reviewer_jwt: reviewerJwt,
        disable_local_ca_jwt: true,
      });
      expect(config.status).toBe(204);
      const role = await vault(bao, 'POST', 'auth/kubernetes/role/devweb-app', {
        bound_service_account_names: ['internal-app'],
        bound_service_account_namespaces: ['default'],
        token_policies: ['default'],
        token_ttl: '5m',
      });
      expect(role.status).toBe(204);

      const login = await vault(bao, 'POST', 'auth/kubernetes/login', { role: 'devweb-app', jwt: await kube.mintServiceAccountToken('default', 'internal-app') });
      expect(login.status).toBe(200);
      expect(login.body['auth']).toMatchObject({ metadata: { service_account_name: 'internal-app', service_account_namespace: 'default' } });

      const refused = await vault(bao, 'POST', 'auth/kubernetes/login', { role: 'devweb-app', jwt: await kube.mintServiceAccountToken('default', 'other-app') });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body['errors'])).toMatch(/service account name not authorized/);
    } finally {
      await bao.stop();
    }
  });

  it('comes back after restart() and after kill() + restart(), objects kept', async () => {
    await kube.client.call('create', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' }, data: { a: '1' } });
    await kube.restart();
    expect(await kube.client.call('read', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' } })).toMatchObject({ data: { a: '1' } });
    await kube.kill();
    await expect(requestJson('GET', `${kube.server}/readyz`, { ca: kube.ca })).rejects.toThrow(/ECONNREFUSED/);
    await kube.restart();
    expect(await kube.client.call('read', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' } })).toMatchObject({ data: { a: '1' } });
  });
});
