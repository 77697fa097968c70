import type { KubernetesServer } from './kubernetes';

/**
 * Creates ServiceAccounts in `namespace`, the first of them bound to `system:auth-delegator`
 * (allowed to call TokenReview, as Vault's kubernetes auth method does for each login), and
 * returns a token of that reviewer for the method's `token_reviewer_jwt`.
 */
export async function createTokenReviewer(
  kube: KubernetesServer,
  reviewer: string,
  otherServiceAccounts: readonly string[] = [],
  namespace = 'default',
): Promise<string> {
  for (const name of [reviewer, ...otherServiceAccounts]) {
    await kube.client.call('create', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  }
  await kube.client.call('create', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${reviewer}-auth-delegator` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
    subjects: [{ kind: 'ServiceAccount', name: reviewer, namespace }],
  });
  return kube.mintServiceAccountToken(namespace, reviewer);
}
