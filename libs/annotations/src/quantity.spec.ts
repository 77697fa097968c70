import { canonicalQuantity } from './quantity';

describe('canonicalQuantity (apimachinery resource.Quantity)', () => {
  it.each([
    ['250m', '250m'],
    ['0.5', '500m'],
    ['0.1', '100m'],
    ['1', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['1.5m', '1500u'],
    ['64Mi', '64Mi'],
    ['1024Mi', '1Gi'],
    ['1024Ki', '1Mi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['1Ki', '1Ki'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['0', '0'],
    ['+2', '2'],
    ['0.0000000001', '1n'],
  ])('%s -> %s', (raw, canonical) => {
    expect(canonicalQuantity(raw)).toBe(canonical);
  });

  it.each(['', '128 MB', 'abc', '1.2.3', '.', '1Kb', '1mi', 'Mi'])('rejects %p', (raw) => {
    expect(canonicalQuantity(raw)).toBeUndefined();
  });
});
