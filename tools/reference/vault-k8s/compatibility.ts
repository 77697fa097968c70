/**
 * Runs every corpus AdmissionReview through vault-k8s v1.7.6 (over HTTPS) and through opzero's
 * mutateReview, applies each patch to the pod, and compares the resulting pods.
 */
import { defaultInjectorSettings, mutateReview, type AdmissionReviewResponse, type InjectorSettings, type Pod } from '@opzero/annotations';
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { admissionCorpus, type CorpusCase } from '../../../libs/annotations/corpus/admission-corpus';
import { differences, normalisePod } from './compare-pods';
import { postJson, startReference } from './reference-server';

export const VAULT_ADDRESS = 'https://vault.vault.svc:8200';
export const compatSettings: InjectorSettings = { ...defaultInjectorSettings, vaultAddress: VAULT_ADDRESS };

export interface CaseResult {
  name: string;
  expect: CorpusCase['expect'];
  outcome: 'identical' | 'both-denied' | 'opzero-stricter' | 'different';
  details: string[];
}

function outcomeOf(review: AdmissionReviewResponse | undefined, pod: Pod): { allowed: boolean; pod?: Pod; message?: string } {
  const response = review?.response;
  if (!response) return { allowed: false, message: 'no response' };
  if (!response.allowed) return { allowed: false, message: response.status?.message ?? '' };
  if (!response.patch) return { allowed: true, pod };
  const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
  return { allowed: true, pod: applyPatch(deepClone(pod), patch, true, false).newDocument as Pod };
}

export async function runCompatibility(): Promise<CaseResult[]> {
  const reference = await startReference(VAULT_ADDRESS);
  try {
    const results: CaseResult[] = [];
    for (const item of admissionCorpus()) {
      const pod = item.review.request.object as Pod;
      const body = JSON.stringify(item.review);
      const theirs = await postJson(`${reference.url}/mutate`, body, reference.ca);
      const ours = mutateReview(JSON.parse(body), compatSettings).response;
      const a = outcomeOf(theirs.body as AdmissionReviewResponse, pod);
      const b = outcomeOf(ours, pod);
      let outcome: CaseResult['outcome'];
      let details: string[] = [];
      if (!a.allowed && !b.allowed) {
        outcome = 'both-denied';
        details = [`vault-k8s: ${a.message}`, `opzero: ${b.message}`];
      } else if (a.allowed && !b.allowed) {
        outcome = 'opzero-stricter';
        details = [`opzero: ${b.message}`];
      } else if (!a.allowed && b.allowed) {
        outcome = 'different';
        details = [`vault-k8s denied: ${a.message}; opzero allowed`];
      } else {
        details = differences(normalisePod(a.pod!), normalisePod(b.pod!));
        outcome = details.length === 0 ? 'identical' : 'different';
      }
      results.push({ name: item.name, expect: item.expect, outcome, details });
    }
    return results;
  } finally {
    await reference.stop();
  }
}

if (require.main === module) {
  runCompatibility().then(
    (results) => {
      for (const r of results) {
        process.stdout.write(`${r.outcome.padEnd(16)} ${r.name}\n`);
        for (const d of r.details) process.stdout.write(`    ${d}\n`);
      }
      const count = (o: CaseResult['outcome']) => results.filter((r) => r.outcome === o).length;
      process.stdout.write(
        `\n${results.length} cases: ${count('identical')} identical, ${count('both-denied')} denied by both, ${count('opzero-stricter')} denied only by opzero (stricter), ${count('different')} different\n`,
      );
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
