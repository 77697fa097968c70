import { runCompatibility, type CaseResult } from './compatibility';

// Builds the vault-k8s v1.7.6 reference with Go on first run (minutes), then compares.
jest.setTimeout(900_000);

describe('compatibility with vault-k8s v1.7.6 over the shared corpus', () => {
  let results: CaseResult[];

  beforeAll(async () => {
    results = await runCompatibility();
  });

  it('covers at least 50 AdmissionReviews', () => {
    expect(results.length).toBeGreaterThanOrEqual(50);
  });

  it('gives the same pod (or the same denial) wherever opzero is not documented as stricter', () => {
    const unexpected = results
      .filter((r) => r.expect === 'same' && r.outcome !== 'identical' && r.outcome !== 'both-denied')
      .map((r) => `${r.name}: ${r.outcome}\n  ${r.details.join('\n  ')}`);
    expect(unexpected).toEqual([]);
  });

  it('denies exactly the cases listed as stricter, and vault-k8s accepts them', () => {
    const stricter = results.filter((r) => r.expect !== 'same');
    expect(stricter.map((r) => [r.name, r.outcome])).toEqual(stricter.map((r) => [r.name, 'opzero-stricter']));
  });
});
