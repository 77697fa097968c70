import type { Pod } from '@opzero/annotations';
import { differences, normalisePod } from './compare-pods';

const agentPod = (env: string[], custom: Array<[string, string]>): Pod => ({
  metadata: { name: 'p' },
  spec: {
    volumes: [{ name: 'vault-secrets' }, ...custom.map(([name]) => ({ name, emptyDir: { medium: 'Memory' } }))],
    containers: [
      {
        name: 'vault-agent',
        env: env.map((name) => ({ name, value: name.toLowerCase() })),
        volumeMounts: [{ name: 'vault-secrets', mountPath: '/vault/secrets' }, ...custom.map(([name, mountPath]) => ({ name, mountPath }))],
      },
    ],
  },
});

describe('normalisePod: lists vault-k8s builds from Go maps compare as sets', () => {
  it('ignores the order of AWS_* env entries and of custom secret volumes and mounts', () => {
    const theirs = agentPod(['NAMESPACE', 'AWS_ROLE_ARN', 'AWS_REGION', 'AWS_WEB_IDENTITY_TOKEN_FILE'], [['vault-secrets-custom-0', '/etc/b'], ['vault-secrets-custom-1', '/etc/a']]);
    const ours = agentPod(['NAMESPACE', 'AWS_REGION', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'], [['vault-secrets-custom-0', '/etc/a'], ['vault-secrets-custom-1', '/etc/b']]);
    expect(differences(normalisePod(theirs), normalisePod(ours))).toEqual([]);
  });

  it('still reports a different order of other env entries, and a missing AWS entry', () => {
    const theirs = agentPod(['NAMESPACE', 'HOST_IP', 'AWS_REGION'], []);
    expect(differences(normalisePod(theirs), normalisePod(agentPod(['HOST_IP', 'NAMESPACE', 'AWS_REGION'], [])))).not.toEqual([]);
    expect(differences(normalisePod(theirs), normalisePod(agentPod(['NAMESPACE', 'HOST_IP'], [])))).not.toEqual([]);
  });
});
