import { KmsError } from '@opzero/kms';
import { VaultError } from '@opzero/vault';
import { toUnsealFailure, UnsealFailure, withoutSecrets } from './unseal-failure';

describe('toUnsealFailure', () => {
  it.each([
    [new KmsError('transit', 'decrypt', 'rejected', 'bad'), 'shares-rejected'],
    [new KmsError('aws-kms', 'decrypt', 'unavailable', 'down'), 'kms-unavailable'],
    [new VaultError('PUT', 'sys/unseal', 400, ['invalid key']), 'shares-rejected'],
    [new VaultError('GET', 'sys/seal-status', 0, [], 'timeout'), 'timeout'],
    [new VaultError('GET', 'sys/seal-status', 0, [], 'network'), 'node-unreachable'],
    [new VaultError('PUT', 'sys/unseal', 503, ['sealed']), 'node-unreachable'],
    [new UnsealFailure('shares-missing', 'none'), 'shares-missing'],
  ])('maps %p to %s', (error, reason) => {
    expect(toUnsealFailure(error).reason).toBe(reason);
  });

  it('removes secrets from messages and bounds their length', () => {
    const share = 'a1b2c3d4e5f6a7b8c9d0';
    expect(withoutSecrets(`Vault said ${share} is bad`, [share])).toBe('Vault said [redacted] is bad');
    expect(withoutSecrets('x'.repeat(5000), [])).toHaveLength(2048);
  });
});
