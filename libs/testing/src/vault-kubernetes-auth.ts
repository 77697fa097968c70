import type { KubernetesServer } from './kubernetes';
import type { VaultServer } from './vault';

/** A role of Vault's kubernetes auth method: which ServiceAccounts may log in, and the policies they get. */
export interface KubernetesAuthRole {
  name: string;
  serviceAccounts: string[];
  namespaces: string[];
  policies: string[];
  ttl?: string;
}

/**
 * Enables the kubernetes auth method at auth/kubernetes on a real OpenBao (with its root
 * token): each login's ServiceAccount token is checked by TokenReview on `kube`'s API server,
 * called as `reviewerJwt` (see createTokenReviewer); then writes `roles`.
 */
export async function enableKubernetesAuth(vault: Pick<VaultServer, 'address' | 'token'>, kube: Pick<KubernetesServer, 'server' | 'ca'>, reviewerJwt: string, roles: KubernetesAuthRole[]): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${vault.address}/v1/${path}`, { method: 'POST', headers: { 'X-Vault-Token': vault.token }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
  };
  await call('sys/auth/kubernetes', { type: 'kubernetes' });
  await call('auth/kubernetes/config', { kubernetes_host: kube.server, kubernetes_ca_cert: kube.ca, token_reviewer_jwt: reviewerJwt, disable_local_ca_jwt: true });
  for (const role of roles) {
    await call(`auth/kubernetes/role/${role.name}`, {
      bound_service_account_names: role.serviceAccounts,
      bound_service_account_namespaces: role.namespaces,
      token_policies: role.policies,
      token_ttl: role.ttl ?? '1h',
    });
  }
}
