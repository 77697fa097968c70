import { admissionCorpus } from '../../../libs/annotations/corpus/admission-corpus';
import { compareWith, recordedOutcomes, type CaseResult } from './compatibility';

// vault-k8s v1.7.6's outcomes were recorded from the real injector (compatibility.ts --record),
// because the Go module proxy refuses the module on CI machines; opzero runs live here.
describe('compatibility with vault-k8s v1.7.6 over the shared corpus', () => {
  const results: CaseResult[] = compareWith(recordedOutcomes());

  it('covers at least 50 AdmissionReviews, each with a recorded vault-k8s outcome', () => {
    expect(results.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(recordedOutcomes()).sort()).toEqual(admissionCorpus().map((c) => c.name).sort());
  });

  it('gives the same pod (or the same denial) wherever opzero is not documented as stricter', () => {
    const unexpected = results
      .filter((r) => r.expect === 'same' && r.outcome !== 'identical' && r.outcome !== 'both-denied')
      .map((r) => `${r.name}: ${r.outcome}\n  ${r.details.join('\n  ')}`);
    expect(unexpected).toEqual([]);
  });

  it('denies exactly the cases listed as stricter, which vault-k8s accepts', () => {
    const stricter = results.filter((r) => r.expect !== 'same');
    expect(stricter.length).toBeGreaterThan(0);
    expect(stricter.map((r) => [r.name, r.outcome])).toEqual(stricter.map((r) => [r.name, 'opzero-stricter']));
  });
});
