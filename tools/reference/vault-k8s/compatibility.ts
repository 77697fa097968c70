/**
 * Compares opzero's mutateReview with vault-k8s v1.7.6 over the shared corpus: each
 * AdmissionReview's patch is applied to the pod and the resulting pods are compared field by
 * field (compare-pods.ts says what is ignored).
 *
 * vault-k8s's outcomes come either live, from the reference built by build.sh, or from
 * libs/annotations/corpus/vault-k8s-v1.7.6.json, which this script records from the live
 * reference (`--record`). The recording is vault-k8s's output, not ours, so the unit test
 * that compares against it checks opzero against the real injector wherever Go cannot fetch it.
 *
 *   node --require @swc-node/register tools/reference/vault-k8s/compatibility.ts [--record | --recorded]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultInjectorSettings, mutateReview, type AdmissionReviewResponse, type InjectorSettings, type Pod } from '@opzero/annotations';
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { admissionCorpus, type CorpusCase } from '../../../libs/annotations/corpus/admission-corpus';
import { differences, normalisePod } from './compare-pods';
import { postJson } from '@opzero/testing';
import { startReference } from './reference-server';

export const VAULT_ADDRESS = 'https://vault.vault.svc:8200';
export const compatSettings: InjectorSettings = { ...defaultInjectorSettings, vaultAddress: VAULT_ADDRESS };
export const RECORDED_OUTCOMES = join(__dirname, '../../../libs/annotations/corpus/vault-k8s-v1.7.6.json');

/** What an injector did with one review: the mutated pod, or the denial. */
export interface Outcome {
  allowed: boolean;
  pod?: Pod;
  message?: string;
}

export interface CaseResult {
  name: string;
  expect: CorpusCase['expect'];
  outcome: 'identical' | 'both-denied' | 'opzero-stricter' | 'different';
  details: string[];
}

function outcomeOf(review: AdmissionReviewResponse | undefined, pod: Pod): Outcome {
  const response = review?.response;
  if (!response) return { allowed: false, message: 'no response' };
  if (!response.allowed) return { allowed: false, message: response.status?.message ?? '' };
  if (!response.patch) return { allowed: true, pod };
  const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
  return { allowed: true, pod: applyPatch(deepClone(pod), patch, true, false).newDocument as Pod };
}

function compareCase(item: CorpusCase, theirs: Outcome, ours: Outcome): CaseResult {
  const result = (outcome: CaseResult['outcome'], details: string[]): CaseResult => ({ name: item.name, expect: item.expect, outcome, details });
  if (!theirs.allowed && !ours.allowed) return result('both-denied', [`vault-k8s: ${theirs.message}`, `opzero: ${ours.message}`]);
  if (theirs.allowed && !ours.allowed) return result('opzero-stricter', [`opzero: ${ours.message}`]);
  if (!theirs.allowed && ours.allowed) return result('different', [`vault-k8s denied: ${theirs.message}; opzero allowed`]);
  const details = differences(normalisePod(theirs.pod!), normalisePod(ours.pod!));
  return result(details.length === 0 ? 'identical' : 'different', details);
}

/** vault-k8s's outcome for every corpus case, from the live reference. */
export async function referenceOutcomes(): Promise<Record<string, Outcome>> {
  const reference = await startReference(VAULT_ADDRESS);
  try {
    const outcomes: Record<string, Outcome> = {};
    for (const item of admissionCorpus()) {
      const theirs = await postJson(`${reference.url}/mutate`, JSON.stringify(item.review), reference.ca);
      outcomes[item.name] = outcomeOf(theirs.body as AdmissionReviewResponse, item.review.request.object as Pod);
    }
    return outcomes;
  } finally {
    await reference.stop();
  }
}

/** vault-k8s's outcomes as last recorded from the live reference. */
export function recordedOutcomes(): Record<string, Outcome> {
  return JSON.parse(readFileSync(RECORDED_OUTCOMES, 'utf8')) as Record<string, Outcome>;
}

/** Runs opzero over the corpus and compares with vault-k8s's outcomes. */
export function compareWith(reference: Record<string, Outcome>): CaseResult[] {
  return admissionCorpus().map((item) => {
    const theirs = reference[item.name];
    if (!theirs) throw new Error(`no vault-k8s outcome recorded for corpus case "${item.name}": run compatibility.ts --record`);
    const ours = outcomeOf(mutateReview(JSON.parse(JSON.stringify(item.review)), compatSettings).response, item.review.request.object as Pod);
    return compareCase(item, theirs, ours);
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const reference = mode === '--recorded' ? recordedOutcomes() : await referenceOutcomes();
  if (mode === '--record') {
    writeFileSync(RECORDED_OUTCOMES, `${JSON.stringify(reference, null, 1)}\n`);
    process.stdout.write(`recorded ${Object.keys(reference).length} vault-k8s outcomes into ${RECORDED_OUTCOMES}\n`);
  }
  const results = compareWith(reference);
  for (const r of results) {
    process.stdout.write(`${r.outcome.padEnd(16)} ${r.name}\n`);
    for (const d of r.details) process.stdout.write(`    ${d}\n`);
  }
  const count = (o: CaseResult['outcome']) => results.filter((r) => r.outcome === o).length;
  process.stdout.write(
    `\n${results.length} cases: ${count('identical')} identical, ${count('both-denied')} denied by both, ` +
      `${count('opzero-stricter')} denied only by opzero (stricter), ${count('different')} different\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
